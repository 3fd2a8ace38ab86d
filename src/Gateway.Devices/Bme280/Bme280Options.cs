namespace Gateway.Devices.Bme280;

/// <summary>
/// How the profile runs a BME280: forced mode (one measurement per interval, asleep in between: §3.5.1 weather
/// monitoring) or normal mode (the part cycles on its own every conversion + standby: §3.5.3 indoor navigation style),
/// with per-channel oversampling, the IIR filter and normal mode's standby time.
/// </summary>
public sealed record Bme280Options(
    Bme280Mode Mode = Bme280Mode.Forced,
    Bme280Oversampling Temperature = Bme280Oversampling.X1,
    Bme280Oversampling Pressure = Bme280Oversampling.X1,
    Bme280Oversampling Humidity = Bme280Oversampling.X1,
    Bme280Filter Filter = Bme280Filter.Off,
    Bme280Standby Standby = Bme280Standby.Ms1000);
