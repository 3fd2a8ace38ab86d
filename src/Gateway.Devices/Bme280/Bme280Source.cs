using Gateway.Hardware.I2c;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Bme280;

/// <summary>
/// Samples a BME280 every <c>interval</c> in forced mode and posts <see cref="Measurements.Env"/> readings
/// (temperature °C, humidity %, pressure hPa). Bus errors propagate, so the agent restarts the source with backoff.
/// </summary>
public sealed class Bme280Source : ReadingSource
{
    private readonly Bme280Driver _driver;
    private readonly TimeSpan _interval;

    /// <summary>The device stays the caller's: the source never disposes it.</summary>
    public Bme280Source(string name, I2cDevice device, TimeSpan interval)
        : base(name, Measurements.Env)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _driver = new Bme280Driver(device);
        _interval = interval;
    }

    /// <summary>The last measurement posted, or null before the first.</summary>
    public Bme280Measurement? LastMeasurement { get; private set; }

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _driver.Initialize();
        using var timer = new PeriodicTimer(_interval, context.Time);
        do
        {
            // Capture time is the trigger: the conversion samples the air then, not when the bytes are read.
            var captured = context.Time.GetTimestamp();
            var m = await _driver.ReadForcedAsync(context.Time, cancellationToken).ConfigureAwait(false);
            LastMeasurement = m;
            ReadOnlySpan<double> values = [m.TemperatureCelsius, m.HumidityPercent, m.PressureHectopascal];
            context.Post(captured, ReadingValues.From(values));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
