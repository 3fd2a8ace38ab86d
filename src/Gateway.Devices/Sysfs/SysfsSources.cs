using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Sysfs;

/// <summary>Posts the SoC temperature as <c>cpu</c> (temperature °C) every interval.</summary>
public sealed class CpuTemperatureSource : ReadingSource
{
    /// <summary>The <c>cpu</c> measurement (DESIGN §4.4).</summary>
    public static readonly MeasurementSchema CpuSchema = new("cpu", [new("temperature", FieldKind.Float)]);

    private readonly ThermalZone _zone;
    private readonly TimeSpan _interval;

    public CpuTemperatureSource(string name, ThermalZone zone, TimeSpan interval)
        : base(name, CpuSchema)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _zone = zone;
        _interval = interval;
    }

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timer = new PeriodicTimer(_interval, context.Time);
        do
        {
            ReadOnlySpan<double> values = [_zone.ReadCelsius()];
            context.Post(ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// Posts a DS18B20's temperature as <c>env</c> (temperature only; humidity and pressure are left out) every interval.
/// A bad read (CRC, 85 °C power-on value) is skipped and counted rather than failing the source: 1-Wire lines glitch.
/// </summary>
public sealed class Ds18b20Source : ReadingSource
{
    private readonly W1Thermometer _sensor;
    private readonly TimeSpan _interval;
    private long _badReads;

    public Ds18b20Source(string name, W1Thermometer sensor, TimeSpan interval)
        : base(name, Measurements.Env)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _sensor = sensor;
        _interval = interval;
    }

    /// <summary>Reads rejected by the checks (not posted).</summary>
    public long BadReads => Interlocked.Read(ref _badReads);

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timer = new PeriodicTimer(_interval, context.Time);
        var consecutiveBad = 0;
        do
        {
            double celsius;
            try
            {
                celsius = _sensor.ReadCelsius();
                consecutiveBad = 0;
            }
            catch (IOException) when (File.Exists(_sensor.Path) && ++consecutiveBad < 10)
            {
                // A glitch: skip this sample. Ten in a row, or a vanished device, fail the source (restart with backoff, logged).
                Interlocked.Increment(ref _badReads);
                continue;
            }
            ReadOnlySpan<double> values = [celsius, double.NaN, double.NaN];
            context.Post(ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
