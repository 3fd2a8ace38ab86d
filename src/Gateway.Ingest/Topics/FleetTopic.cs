using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gateway.Ingest.Topics;

/// <summary>What a fleet topic carries (DESIGN §4.3).</summary>
public enum FleetTopicKind
{
    Telemetry,
    Events,
    Status,
}

/// <summary>
/// The fleet topic tree (DESIGN §4.3). The gateway id is taken from the topic, never from the payload: the broker's
/// ACL guarantees that only gateway A can publish under <c>fleet/A/</c>, while a payload can claim anything.
/// </summary>
public static partial class FleetTopic
{
    public const string TelemetryFilter = "fleet/+/telemetry";
    public const string EventsFilter = "fleet/+/events";
    public const string StatusFilter = "fleet/+/status";

    /// <summary>
    /// A shared subscription (<c>$share/{group}/{filter}</c>, MQTT 5.0 §4.8.2; mosquitto 2.0 serves it to 3.1.1 clients
    /// too): the broker hands each message to one member of the group, so N ingest instances split the load.
    /// </summary>
    public static string Shared(string? group, string filter) => group is null ? filter : $"$share/{group}/{filter}";

    /// <summary>Gets the gateway id of a <c>fleet/{gateway}/telemetry</c> topic; false for any other topic or a bad id.</summary>
    public static bool TryGetTelemetryGateway(string topic, out string gatewayId) =>
        TryParse(topic, out gatewayId, out var kind) && kind == FleetTopicKind.Telemetry;

    /// <summary>Splits <c>fleet/{gateway}/{telemetry|events|status}</c>; false for anything else or an invalid gateway id.</summary>
    public static bool TryParse(string topic, out string gatewayId, out FleetTopicKind kind)
    {
        gatewayId = "";
        kind = default;
        var parts = topic.Split('/');
        if (parts.Length != 3 || parts[0] != "fleet" || !IsGatewayId(parts[1])) return false;
        switch (parts[2])
        {
            case "telemetry": kind = FleetTopicKind.Telemetry; break;
            case "events": kind = FleetTopicKind.Events; break;
            case "status": kind = FleetTopicKind.Status; break;
            default: return false;
        }
        gatewayId = parts[1];
        return true;
    }

    /// <summary>The same rule the agent's profile enforces for gateway ids: safe as a topic level, a CN and a tag value.</summary>
    public static bool IsGatewayId(string id) => GatewayId().IsMatch(id);

    /// <summary>
    /// The tag id contract: 8 lowercase hex digits, as the gateway reports a LoRa tag's 32-bit id. Anything else is not an
    /// asset the dashboard, the registry or a history query can name.
    /// </summary>
    public static bool IsTagId([NotNullWhen(true)] string? id) => id is { Length: 8 } && id.All(char.IsAsciiHexDigitLower);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex GatewayId();
}
