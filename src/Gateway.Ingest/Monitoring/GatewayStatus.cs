using System.Text.Json;

namespace Gateway.Ingest.Monitoring;

/// <summary>
/// The agent's retained status JSON on <c>fleet/{gateway}/status</c>: a birth <c>{"state":"online", "version",
/// "profile", "boot_id", "started"}</c> after each connection, and <c>{"state":"offline"}</c> as the will and on a clean
/// stop (README, the agent). Anything unreadable yields an empty status rather than an exception: it is outside input.
/// </summary>
public readonly record struct GatewayStatus(bool? Online, string? Version, string? Profile)
{
    /// <summary>A status is a small JSON object; anything longer is not one.</summary>
    public const int MaxBytes = 16 * 1024;

    public static GatewayStatus Parse(ReadOnlySpan<byte> payload)
    {
        // An empty retained message deletes the retained status (MQTT 3.1.1 §3.3.1.3): nothing to apply.
        if (payload.Length is 0 or > MaxBytes) return default;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return default;
            bool? online = Text(root, "state") switch
            {
                "online" => true,
                "offline" => false,
                _ => null,
            };
            return new GatewayStatus(online, Short(Text(root, "version")), Short(Text(root, "profile")));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Short(string? s) => s is { Length: > 100 } ? s[..100] : s;
}
