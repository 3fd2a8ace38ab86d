namespace Gateway.Telemetry.Readings;

/// <summary>
/// The table from <see cref="SourceId"/> to <see cref="SourceDescriptor"/>. Filled at start, before readings flow;
/// lookups afterwards are array reads with no locking.
/// </summary>
public sealed class SourceRegistry
{
    private readonly List<SourceDescriptor> _sources = [];

    /// <summary>Every registered source, in <see cref="SourceId"/> order.</summary>
    public IReadOnlyList<SourceDescriptor> All => _sources;

    /// <summary>Registers a source; names must be unique because they become the <c>sensor</c> tag.</summary>
    public SourceDescriptor Register(string name, MeasurementSchema schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_sources.Exists(s => s.Name == name && s.Schema.Measurement == schema.Measurement))
            throw new InvalidOperationException($"Source '{name}' for measurement '{schema.Measurement}' is registered twice; give each source a unique name in the profile.");
        if (_sources.Count > ushort.MaxValue)
            throw new InvalidOperationException("Too many sources.");
        var descriptor = new SourceDescriptor(new SourceId((ushort)_sources.Count), name, schema);
        _sources.Add(descriptor);
        return descriptor;
    }

    /// <summary>The source behind a reading's id; throws for an id this registry did not give.</summary>
    public SourceDescriptor this[SourceId id] => _sources[id.Value];
}
