namespace Gateway.Hardware.Simulation.Bme280;

/// <summary>What a simulated BME280 senses: air temperature in °C, relative humidity in %, pressure in hPa.</summary>
public sealed record Bme280Environment(double TemperatureCelsius, double HumidityPercent, double PressureHectopascal);
