namespace Gateway.Hardware.Simulation;

/// <summary>Where a simulated gateway stands: WGS-84 degrees and metres above mean sea level.</summary>
public sealed record SimulatedSite(double Latitude, double Longitude, double AltitudeMeters);
