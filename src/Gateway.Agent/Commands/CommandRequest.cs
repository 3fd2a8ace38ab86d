using System.Text.Json;

namespace Gateway.Agent.Commands;

/// <summary>
/// One validated downlink command from <c>cmd/{gateway}/{name}</c> (a tree no gateway may write, DESIGN §4.3). Everything here came from the network and
/// is bounded and checked before anything acts on it (DESIGN §6): a known name, a payload of at most
/// <see cref="MaxPayloadBytes"/> that is empty or one JSON object, and an MQTT 5 response topic under this gateway's
/// <c>fleet/{gateway}/reply/</c> (the only place the broker's ACL lets the gateway answer and an operator read).
/// </summary>
public sealed record CommandRequest(string Name, JsonElement Arguments, string ResponseTopic, ReadOnlyMemory<byte> CorrelationData)
{
    /// <summary>Commands take a few small arguments; anything bigger is not a command.</summary>
    public const int MaxPayloadBytes = 4096;

    /// <summary>Correlation data is the requester's opaque token [MQTT-3.3.2.3.7]; a few bytes suffice, so bound it.</summary>
    public const int MaxCorrelationBytes = 256;

    public const int MaxResponseTopicLength = 256;

    /// <summary>The names that exist; nothing else is ever run, and no name maps to a shell (DESIGN §4.5).</summary>
    public static readonly IReadOnlyList<string> Names = ["status", "flush", "set-rate", "reload-config", "self-test", "restart"];

    /// <summary>
    /// Who asked: the operator level of the response topic (<c>fleet/{gateway}/reply/{operator}/...</c>, where
    /// gatewayctl puts the CN of its certificate and where the broker's ACL lets only that operator read the answer).
    /// For the log; the broker's ACL, not this name, decides who may send commands.
    /// </summary>
    public string? Requester
    {
        get
        {
            var at = ResponseTopic.IndexOf("/reply/", StringComparison.Ordinal);
            if (at < 0) return null;
            var rest = ResponseTopic[(at + "/reply/".Length)..];
            var end = rest.IndexOf('/', StringComparison.Ordinal);
            var name = end < 0 ? rest : rest[..end];
            return name.Length == 0 ? null : Shorten(name);
        }
    }

    /// <summary>Where this gateway's commands arrive: <c>cmd/{gateway}/{name}</c>, which only operators may write.</summary>
    public static string Filter(string gatewayId) => $"cmd/{gatewayId}/+";

    public static string Topic(string gatewayId, string name) => $"cmd/{gatewayId}/{name}";

    public static string ReplyPrefix(string gatewayId) => $"fleet/{gatewayId}/reply/";

    /// <summary>
    /// Validates a received command. Returns false with a reason when it cannot be answered at all (no usable response
    /// topic); otherwise true, with <paramref name="request"/> set when it is valid or <paramref name="refusal"/> saying
    /// why not, to be sent back to <paramref name="responseTopic"/>.
    /// </summary>
    public static bool TryParse(string gatewayId, string topic, ReadOnlySpan<byte> payload, string? responseTopic, ReadOnlyMemory<byte>? correlation,
        out CommandRequest? request, out string? refusal)
    {
        request = null;
        refusal = null;
        var prefix = ReplyPrefix(gatewayId);
        if (responseTopic is null)
        {
            refusal = "no response topic: commands are MQTT 5 requests with a response topic (gatewayctl cmd sets one)";
            return false;
        }
        if (responseTopic.Length > MaxResponseTopicLength || !responseTopic.StartsWith(prefix, StringComparison.Ordinal)
            || responseTopic.Length == prefix.Length || responseTopic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
        {
            refusal = $"response topic '{Shorten(responseTopic)}' is not under {prefix} (at most {MaxResponseTopicLength} characters, no wildcards)";
            return false;
        }
        if (correlation is { Length: > MaxCorrelationBytes })
        {
            refusal = $"correlation data of {correlation.Value.Length} bytes; at most {MaxCorrelationBytes}";
            return false;
        }
        var corr = correlation ?? ReadOnlyMemory<byte>.Empty;
        var cmdPrefix = Topic(gatewayId, "");
        var name = topic.StartsWith(cmdPrefix, StringComparison.Ordinal) ? topic[cmdPrefix.Length..] : "";
        if (!Names.Contains(name))
        {
            refusal = $"unknown command '{Shorten(name)}'; known: {string.Join(", ", Names)}";
            return true;
        }
        if (payload.Length > MaxPayloadBytes)
        {
            refusal = $"arguments of {payload.Length} bytes; at most {MaxPayloadBytes}";
            return true;
        }
        if (!TryReadArguments(payload, out var args, out refusal)) return true;
        request = new CommandRequest(name, args, responseTopic, corr.ToArray());
        return true;
    }

    private static bool TryReadArguments(ReadOnlySpan<byte> payload, out JsonElement args, out string? refusal)
    {
        refusal = null;
        var trimmed = System.Text.Encoding.UTF8.GetString(payload).Trim();
        if (trimmed.Length == 0)
        {
            args = EmptyObject();
            return true;
        }
        try
        {
            using var doc = JsonDocument.Parse(trimmed, Gateway.Configuration.StrictJson.Options(maxDepth: 4, lenient: false));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                refusal = $"arguments must be one JSON object, e.g. {{\"source\":\"counter\",\"ratePerSecond\":2}}; got a {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}";
                args = default;
                return false;
            }
            args = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            refusal = $"arguments are not valid JSON: {ex.Message}";
            args = default;
            return false;
        }
    }

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }

    /// <summary>Echoed text from the network is cut short so that a hostile name cannot flood the reply or the log.</summary>
    internal static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
