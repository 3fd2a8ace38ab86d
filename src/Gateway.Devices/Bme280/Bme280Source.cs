using Gateway.Devices.Pacing;
using Gateway.Hardware.I2c;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Bme280;

/// <summary>
/// Samples a BME280 every <c>interval</c> in forced mode and posts <see cref="Measurements.Env"/> readings
/// (temperature °C, humidity %, pressure hPa). Bus errors propagate, so the agent restarts the source with backoff.
/// The rate can change while it runs (<see cref="IRateAdjustable"/>), up to what the measurement time allows
/// (<see cref="Bme280Timing.MaxRate"/>).
/// </summary>
public sealed class Bme280Source : ReadingSource, IRateAdjustable
{
    private readonly Bme280Driver _driver;
    private readonly SamplePace _pace;

    private readonly bool _normalMode;

    /// <summary>The device stays the caller's: the source never disposes it.</summary>
    public Bme280Source(string name, I2cDevice device, TimeSpan interval)
        : this(name, device, interval, new Bme280Options())
    {
    }

    /// <summary>With the profile's mode, oversampling, filter and standby. The device stays the caller's.</summary>
    public Bme280Source(string name, I2cDevice device, TimeSpan interval, Bme280Options options)
        : base(name, Measurements.Env)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(options);
        _driver = new Bme280Driver(device)
        {
            TemperatureOversampling = options.Temperature,
            PressureOversampling = options.Pressure,
            HumidityOversampling = options.Humidity,
            Filter = options.Filter,
            Standby = options.Standby,
        };
        _normalMode = options.Mode == Bme280Mode.Normal;
        _pace = new SamplePace(interval);
    }

    /// <summary>The driver's settings, for diagnostics.</summary>
    internal Bme280Driver Driver => _driver;

    /// <summary>The last measurement posted, or null before the first.</summary>
    internal Bme280Measurement? LastMeasurement { get; private set; }

    /// <inheritdoc/>
    public double RatePerSecond => _pace.RatePerSecond;

    /// <summary>
    /// The fastest useful rate with the profile's oversampling (forced mode: one §9.1 measurement time per sample;
    /// normal mode: measurement time plus standby), with the reason, as set-rate reports it.
    /// </summary>
    public RateLimit MaxRate => Bme280Timing.MaxRate(_driver, _normalMode);

    RateLimit? IRateAdjustable.MaxRate => MaxRate;

    /// <inheritdoc/>
    public bool TrySetRate(double ratePerSecond, out double previous, out string? problem) =>
        _pace.TrySetRate(ratePerSecond, MaxRate, out previous, out problem);

    /// <summary>
    /// Initialises the part (chip id, reset, calibration), then posts one <c>env</c> reading per tick until cancelled,
    /// stamped when the measurement was triggered. Bus errors propagate: the agent restarts the source with backoff.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await _driver.InitializeAsync(context.Time, cancellationToken).ConfigureAwait(false);
        if (_normalMode)
        {
            _driver.StartNormal();
            // The first normal-mode measurement completes one conversion time after the start (§3.3.4).
            await Task.Delay(_driver.MaxMeasurementTime, context.Time, cancellationToken).ConfigureAwait(false);
        }
        using var timer = _pace.Start(context.Time);
        do
        {
            // Capture time is the trigger: the conversion samples the air then, not when the bytes are read.
            var captured = context.Time.GetTimestamp();
            var m = _normalMode ? _driver.ReadLatest() : await _driver.ReadForcedAsync(context.Time, cancellationToken).ConfigureAwait(false);
            LastMeasurement = m;
            ReadOnlySpan<double> values = [m.TemperatureCelsius, m.HumidityPercent, m.PressureHectopascal];
            context.Post(captured, ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
