namespace Gateway.Telemetry.Readings;

/// <summary>Index of a source in the <see cref="SourceRegistry"/>; small so that a reading stays small.</summary>
public readonly record struct SourceId(ushort Value)
{
    /// <summary>The index in decimal.</summary>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
