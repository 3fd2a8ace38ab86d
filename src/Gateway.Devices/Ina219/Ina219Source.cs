using System.Globalization;
using Gateway.Devices.Pacing;
using Gateway.Hardware.I2c;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Ina219;

/// <summary>
/// Samples an INA219 every interval and posts <c>power</c> readings: bus_voltage (V), shunt_voltage (mV), current (A),
/// power (W). Bus errors propagate, so the agent restarts the source with backoff. The rate can change while it runs
/// (<see cref="IRateAdjustable"/>), up to one reading per conversion cycle (<see cref="MaxRate"/>).
/// </summary>
public sealed class Ina219Source : ReadingSource, IRateAdjustable
{
    /// <summary>The <c>power</c> measurement (DESIGN §4.4).</summary>
    public static readonly MeasurementSchema PowerSchema = new("power",
    [
        new("bus_voltage", FieldKind.Float), new("shunt_voltage", FieldKind.Float),
        new("current", FieldKind.Float), new("power", FieldKind.Float),
    ]);

    private readonly Ina219Driver _driver;
    private readonly SamplePace _pace;

    /// <summary>The device stays the caller's.</summary>
    public Ina219Source(string name, I2cDevice device, Ina219Configuration configuration, Ina219Calibration calibration, TimeSpan interval)
        : base(name, PowerSchema)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _driver = new Ina219Driver(device, configuration, calibration);
        _pace = new SamplePace(interval);
    }

    internal Ina219Measurement? LastMeasurement { get; private set; }

    /// <inheritdoc/>
    public double RatePerSecond => _pace.RatePerSecond;

    /// <summary>
    /// One reading per conversion cycle: the part converts the shunt and/or bus channel of its mode, each taking the
    /// §8.6.2.1 table 5 time of its ADC setting; a continuous-mode read sooner returns the previous cycle again, and a
    /// triggered read waits for its own conversion (plus the driver's 0.1 ms margin).
    /// </summary>
    public RateLimit MaxRate
    {
        get
        {
            var c = _driver.Configuration;
            var bus = Ina219Configuration.ConversionMicroseconds(c.BusAdc);
            var shunt = Ina219Configuration.ConversionMicroseconds(c.ShuntAdc);
            var (us, what) = c.Mode switch
            {
                Ina219Mode.ShuntContinuous => (shunt, "a shunt conversion"),
                Ina219Mode.BusContinuous => (bus, "a bus conversion"),
                Ina219Mode.ShuntTriggered or Ina219Mode.BusTriggered or Ina219Mode.ShuntAndBusTriggered => (bus + shunt + 100, "a triggered bus and shunt conversion"),
                _ => (bus + shunt, "a bus and shunt conversion cycle"),
            };
            return new RateLimit(1e6 / us, string.Create(CultureInfo.InvariantCulture,
                $"{what} at bus ADC {c.BusAdc} and shunt ADC {c.ShuntAdc} takes {us / 1000:0.###} ms (INA219 datasheet §8.6.2.1 table 5); for faster sampling lower busSamples/shuntSamples in the profile and send reload-config"));
        }
    }

    RateLimit? IRateAdjustable.MaxRate => MaxRate;

    /// <inheritdoc/>
    public bool TrySetRate(double ratePerSecond, out double previous, out string? problem) =>
        _pace.TrySetRate(ratePerSecond, MaxRate, out previous, out problem);

    /// <summary>
    /// Resets and configures the part, then posts one <c>power</c> reading per tick until cancelled, stamped before the
    /// read. Bus errors propagate: the agent restarts the source with backoff, which re-initialises the part.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _driver.Initialize();
        using var timer = _pace.Start(context.Time);
        do
        {
            var captured = context.Time.GetTimestamp();
            var m = await _driver.ReadAsync(context.Time, cancellationToken).ConfigureAwait(false);
            LastMeasurement = m;
            ReadOnlySpan<double> values = [m.BusVolts, m.ShuntMillivolts, m.CurrentAmps, m.PowerWatts];
            context.Post(captured, ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
