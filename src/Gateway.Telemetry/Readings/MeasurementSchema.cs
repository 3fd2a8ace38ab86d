namespace Gateway.Telemetry.Readings;

/// <summary>
/// The measurement name and the ordered fields that a <see cref="Reading"/>'s value slots map to. Schemas are made once
/// at start and shared; names are validated here so that the encoder never meets a name it cannot write.
/// </summary>
public sealed class MeasurementSchema
{
    /// <param name="measurement">The measurement name (DESIGN §4.4: gps, env, power, input, tag, gateway).</param>
    /// <param name="fields">1 to <see cref="ReadingValues.Capacity"/> fields, in value-slot order.</param>
    /// <param name="subjectTagKey">The tag that carries <see cref="Reading.Subject"/> (a radio tag's id), or null.</param>
    public MeasurementSchema(string measurement, IReadOnlyList<FieldDefinition> fields, string? subjectTagKey = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        if (fields.Count == 0 || fields.Count > ReadingValues.Capacity)
            throw new ArgumentException($"A schema has 1 to {ReadingValues.Capacity} fields; '{measurement}' has {fields.Count}.", nameof(fields));
        foreach (var field in fields)
        {
            if ((field.Kind == FieldKind.Label) != (field.Labels is { Count: > 0 }))
                throw new ArgumentException($"Field '{field.Name}' of '{measurement}': a {FieldKind.Label} field needs its labels, and only it has them.", nameof(fields));
        }
        Measurement = measurement;
        Fields = fields;
        SubjectTagKey = subjectTagKey;
    }

    /// <summary>Measurement name, e.g. <c>gps</c>, <c>env</c>, <c>counter</c>.</summary>
    public string Measurement { get; }

    /// <summary>Field definitions in value-slot order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>Tag key under which <see cref="Reading.Subject"/> is written (e.g. <c>tag</c>), or null for none.</summary>
    public string? SubjectTagKey { get; }
}

/// <summary>One field of a schema; <paramref name="Labels"/> are the names of a <see cref="FieldKind.Label"/> field's values, by index.</summary>
public readonly record struct FieldDefinition(string Name, FieldKind Kind, IReadOnlyList<string>? Labels = null);
