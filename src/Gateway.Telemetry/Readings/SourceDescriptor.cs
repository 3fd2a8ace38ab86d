namespace Gateway.Telemetry.Readings;

/// <summary>
/// A registered source: what it measures and the name it is tagged with (<c>sensor=NAME</c>). The gateway tag is
/// added by the encoder from configuration, never by a source.
/// </summary>
public sealed record SourceDescriptor(SourceId Id, string Name, MeasurementSchema Schema);
