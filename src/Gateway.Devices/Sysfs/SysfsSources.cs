using Gateway.Devices.Pacing;
using Gateway.Telemetry.Readings;
using Gateway.Core.Counters;

namespace Gateway.Devices.Sysfs;

/// <summary>
/// Posts the SoC temperature as <c>cpu</c> (temperature °C) every interval. The rate can change while it runs
/// (<see cref="IRateAdjustable"/>); reading the thermal zone is cheap, so only the general limits apply.
/// </summary>
public sealed class CpuTemperatureSource : ReadingSource, IRateAdjustable
{
    /// <summary>The <c>cpu</c> measurement (DESIGN §4.4).</summary>
    public static readonly MeasurementSchema CpuSchema = new("cpu", [new("temperature", FieldKind.Float)]);

    private readonly ThermalZone _zone;
    private readonly SamplePace _pace;

    /// <param name="name">The source name (the <c>sensor</c> tag of its readings).</param>
    /// <param name="zone">The thermal zone to read (zone 0 is the SoC on a Raspberry Pi).</param>
    /// <param name="interval">The profile's interval between readings; set-rate may change it later.</param>
    public CpuTemperatureSource(string name, ThermalZone zone, TimeSpan interval)
        : base(name, CpuSchema)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _zone = zone;
        _pace = new SamplePace(interval);
    }

    /// <inheritdoc/>
    public double RatePerSecond => _pace.RatePerSecond;

    /// <summary>Null: reading a sysfs file costs microseconds, so only <see cref="RateLimits"/> apply.</summary>
    public RateLimit? MaxRate => null;

    /// <inheritdoc/>
    public bool TrySetRate(double ratePerSecond, out double previous, out string? problem) =>
        _pace.TrySetRate(ratePerSecond, MaxRate, out previous, out problem);

    /// <summary>
    /// Posts one <c>cpu</c> reading at once and then one per tick until cancelled. A read error propagates (the zone is
    /// gone or its sensor fails): the agent restarts the source with backoff.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timer = _pace.Start(context.Time);
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
/// The rate can change while it runs (<see cref="IRateAdjustable"/>), up to one conversion per read (<see cref="ConversionLimit"/>).
/// </summary>
public sealed class Ds18b20Source : ReadingSource, IRateAdjustable
{
    /// <summary>
    /// Each read starts a conversion (a bulk trigger or a converting w1_slave read) and waits for it: up to 750 ms at
    /// the DS18B20's power-on 12-bit resolution (datasheet, AC electrical characteristics, t_CONV).
    /// </summary>
    public static readonly RateLimit ConversionLimit = new(1 / 0.75,
        "every read makes the kernel's w1_therm driver run a temperature conversion, up to 750 ms at the DS18B20's 12-bit resolution (datasheet t_CONV)");

    private readonly W1Thermometer _sensor;
    private readonly SamplePace _pace;
    private readonly AtomicCounter _badReads = new();

    /// <param name="name">The source name (the <c>sensor</c> tag of its readings).</param>
    /// <param name="sensor">The DS18B20 on its 1-Wire bus.</param>
    /// <param name="interval">The profile's interval between readings; set-rate may change it later, down to <see cref="ConversionLimit"/>.</param>
    public Ds18b20Source(string name, W1Thermometer sensor, TimeSpan interval)
        : base(name, Measurements.Env)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _sensor = sensor;
        _pace = new SamplePace(interval);
    }

    /// <inheritdoc/>
    public double RatePerSecond => _pace.RatePerSecond;

    /// <summary>One reading per 750 ms conversion (<see cref="ConversionLimit"/>), the same for every DS18B20.</summary>
    RateLimit? IRateAdjustable.MaxRate => ConversionLimit;

    /// <inheritdoc/>
    public bool TrySetRate(double ratePerSecond, out double previous, out string? problem) =>
        _pace.TrySetRate(ratePerSecond, ConversionLimit, out previous, out problem);

    /// <summary>Reads rejected by the checks (not posted).</summary>
    public long BadReads => _badReads.Value;

    /// <summary>
    /// Posts one <c>env</c> reading at once and then one per tick until cancelled. A bad read is skipped and counted in
    /// <see cref="BadReads"/>; ten in a row, or a vanished device file, fail the source (the agent restarts it with backoff).
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timer = _pace.Start(context.Time);
        var consecutiveBad = 0;
        do
        {
            double celsius;
            try
            {
                celsius = await _sensor.ReadCelsiusAsync(context.Time, cancellationToken).ConfigureAwait(false);
                consecutiveBad = 0;
            }
            catch (IOException) when (_sensor.Exists && ++consecutiveBad < 10)
            {
                // A glitch: skip this sample. Ten in a row, or a vanished device, fail the source (restart with backoff, logged).
                _badReads.Increment();
                continue;
            }
            ReadOnlySpan<double> values = [celsius, double.NaN, double.NaN];
            context.Post(ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
