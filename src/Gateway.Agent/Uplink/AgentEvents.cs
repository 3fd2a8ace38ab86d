using System.Buffers;
using Gateway.Telemetry.LineProtocol;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Events the agent raises about itself, as line protocol for <c>fleet/{gateway}/events</c> (measurement
/// <c>event</c>, tags <c>gateway</c>, <c>kind</c>, <c>sensor=agent</c>, field <c>message</c> plus kind-specific
/// fields). They go to the journal's event lane, which the quota keeps while telemetry can still be dropped.
/// </summary>
public static class AgentEvents
{
    /// <summary>The previous run did not stop cleanly (power cut, crash, kill -9).</summary>
    public const string UncleanRestart = "unclean_restart";

    /// <summary>Data was lost on the gateway: a quota drop episode started, or corrupt journal records were found.</summary>
    public const string DataLoss = "data_loss";

    public static byte[] Line(string gatewayId, string kind, string message, long unixMs, params ReadOnlySpan<(string Key, long Value)> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new LineProtocolWriter(buffer);
        writer.WriteMeasurement("event");
        writer.WriteTag("gateway", gatewayId);
        writer.WriteTag("kind", kind);
        writer.WriteTag("sensor", "agent");
        writer.WriteStringField("message", message);
        foreach (var (key, value) in fields) writer.WriteField(key, value);
        writer.EndLine(unixMs);
        return buffer.WrittenSpan.ToArray();
    }
}
