namespace Gateway.Hardware.Simulation.Bme280;

/// <summary>The simulated environment: a slow daily-ish drift plus small noise, a pure function of time and seed.</summary>
public sealed partial class Bme280Model
{
    private readonly int _seed;
    private readonly long _start;

    /// <summary>The environment the model would measure at <paramref name="monotonicTimestamp"/>.</summary>
    public Bme280Environment EnvironmentAt(long monotonicTimestamp)
    {
        var seconds = (double)(monotonicTimestamp - _start) / _time.TimestampFrequency;
        // One cycle a day for temperature and humidity (humidity falls as the enclosure warms), a slower weather
        // cycle for pressure; phases are chosen so that the start is the baseline.
        var day = Math.Sin(2 * Math.PI * seconds / 86_400);
        var weather = Math.Sin(2 * Math.PI * seconds / (3.5 * 86_400));
        var second = (long)Math.Floor(seconds);
        var temperature = Baseline.TemperatureCelsius + (8 * day) + (0.05 * Noise(second, 1));
        var humidity = Baseline.HumidityPercent - (12 * day) + (0.3 * Noise(second, 2));
        var pressure = Baseline.PressureHectopascal + (6 * weather) + (0.05 * Noise(second, 3));
        // The enclosure envelope the gateway is specified for.
        return new Bme280Environment(
            Math.Clamp(temperature, 15, 45), Math.Clamp(humidity, 20, 80), Math.Clamp(pressure, 950, 1030));
    }

    /// <summary>Deterministic noise in [-1, 1] from (seed, second, channel): no hidden state, so any call order gives the same values.</summary>
    private double Noise(long second, int channel)
    {
        var h = (ulong)HashCode.Combine(_seed, second, channel) * 0x9E3779B97F4A7C15UL;
        return ((h >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }

    private void Measure(long atTimestamp)
    {
        var environment = EnvironmentAt(atTimestamp);
        var osrsT = _ctrlMeas >> 5;
        var osrsP = (_ctrlMeas >> 2) & 0x07;
        var osrsH = _ctrlHumLatched & 0x07;
        var adcT = Bme280ModelMath.InvertTemperature(environment.TemperatureCelsius, out var tFine);
        var adcP = Bme280ModelMath.InvertPressure(environment.PressureHectopascal * 100, tFine);
        var adcH = Bme280ModelMath.InvertHumidity(environment.HumidityPercent, tFine);
        // §5.3: a skipped measurement leaves the reset value (0x80000 / 0x8000) in its data registers.
        if (osrsP != 0) Put20(0, adcP);
        if (osrsT != 0) Put20(3, adcT);
        if (osrsH != 0)
        {
            _data[6] = (byte)(adcH >> 8);
            _data[7] = (byte)adcH;
        }
        LastMeasured = environment;
        MeasurementCount++;
    }

    /// <summary>§5.4.7/5.4.8: msb, lsb, xlsb[7:4] of a 20-bit ADC value.</summary>
    private void Put20(int offset, int value)
    {
        _data[offset] = (byte)(value >> 12);
        _data[offset + 1] = (byte)(value >> 4);
        _data[offset + 2] = (byte)((value & 0x0F) << 4);
    }
}
