using System.Text.RegularExpressions;

namespace Gateway.Ingest.Topics;

/// <summary>
/// The fleet topic tree (DESIGN §4.3). The gateway id is taken from the topic, never from the payload: the broker's
/// ACL guarantees that only gateway A can publish under <c>fleet/A/</c>, while a payload can claim anything.
/// </summary>
public static partial class FleetTopic
{
    public const string TelemetryFilter = "fleet/+/telemetry";

    /// <summary>Gets the gateway id of a <c>fleet/{gateway}/telemetry</c> topic; false for any other topic or a bad id.</summary>
    public static bool TryGetTelemetryGateway(string topic, out string gatewayId)
    {
        gatewayId = "";
        var parts = topic.Split('/');
        if (parts.Length != 3 || parts[0] != "fleet" || parts[2] != "telemetry" || !GatewayId().IsMatch(parts[1])) return false;
        gatewayId = parts[1];
        return true;
    }

    /// <summary>The same rule the agent's profile enforces for gateway ids: safe as a topic level, a CN and a tag value.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex GatewayId();
}
