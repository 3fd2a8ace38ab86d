namespace Gateway.Devices.Bme280;

/// <summary>
/// One compensated BME280 measurement: temperature in °C (resolution 0.01), relative humidity in % (1/1024), pressure
/// in hPa (1/25600). A skipped channel (oversampling off) reads NaN.
/// </summary>
internal readonly record struct Bme280Measurement(double TemperatureCelsius, double HumidityPercent, double PressureHectopascal);
