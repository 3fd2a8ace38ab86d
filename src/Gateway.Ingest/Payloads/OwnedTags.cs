namespace Gateway.Ingest.Payloads;

/// <summary>
/// The tag keys the fleet's points are found by (DESIGN §4.3, §4.4). A payload field with one of these keys is refused:
/// InfluxQL resolves an unqualified name to a field before a tag, so a field <c>gateway="sim-0002"</c> sent by another
/// gateway would answer every <c>WHERE gateway = 'sim-0002'</c> query instead of the real sim-0002's points (issue 12,
/// item 3). Refused rather than renamed: our agents never send such a field, so one is hostile or broken, and a renamed
/// copy would put data of unknown meaning into the fleet's history.
/// </summary>
public static class OwnedTags
{
    public static bool Contains(ReadOnlySpan<byte> key) => key.SequenceEqual("gateway"u8) || key.SequenceEqual("sensor"u8) || key.SequenceEqual("tag"u8);

    public static bool Contains(string key) => key is "gateway" or "sensor" or "tag";
}
