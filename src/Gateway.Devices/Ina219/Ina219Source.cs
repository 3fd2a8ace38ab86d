using Gateway.Hardware.I2c;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Ina219;

/// <summary>
/// Samples an INA219 every interval and posts <c>power</c> readings: bus_voltage (V), shunt_voltage (mV), current (A),
/// power (W). Bus errors propagate, so the agent restarts the source with backoff.
/// </summary>
public sealed class Ina219Source : ReadingSource
{
    /// <summary>The <c>power</c> measurement (DESIGN §4.4).</summary>
    public static readonly MeasurementSchema PowerSchema = new("power",
    [
        new("bus_voltage", FieldKind.Float), new("shunt_voltage", FieldKind.Float),
        new("current", FieldKind.Float), new("power", FieldKind.Float),
    ]);

    private readonly Ina219Driver _driver;
    private readonly TimeSpan _interval;

    /// <summary>The device stays the caller's.</summary>
    public Ina219Source(string name, I2cDevice device, Ina219Configuration configuration, Ina219Calibration calibration, TimeSpan interval)
        : base(name, PowerSchema)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _driver = new Ina219Driver(device, configuration, calibration);
        _interval = interval;
    }

    public Ina219Measurement? LastMeasurement { get; private set; }

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _driver.Initialize();
        using var timer = new PeriodicTimer(_interval, context.Time);
        do
        {
            var captured = context.Time.GetTimestamp();
            var m = _driver.Read();
            LastMeasurement = m;
            ReadOnlySpan<double> values = [m.BusVolts, m.ShuntMillivolts, m.CurrentAmps, m.PowerWatts];
            context.Post(captured, ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
