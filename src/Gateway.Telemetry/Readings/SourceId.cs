namespace Gateway.Telemetry.Readings;

/// <summary>Index of a source in the <see cref="SourceRegistry"/>; small so that a reading stays small.</summary>
public readonly record struct SourceId(ushort Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
