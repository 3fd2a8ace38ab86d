using Gateway.Agent.Events;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Events the agent raises about itself, for <c>fleet/{gateway}/events</c> (measurement <c>event</c>, tags
/// <c>gateway</c>, <c>kind</c>, <c>sensor=agent</c>, field <c>message</c> plus kind-specific fields). They go through
/// the <see cref="JournalEventSink"/> like device events: the clock discipline stamps them, and the journal's event
/// lane keeps them while telemetry can still be dropped.
/// </summary>
public static class AgentEvents
{
    /// <summary>The previous run did not stop cleanly (power cut, crash, kill -9).</summary>
    public const string UncleanRestart = "unclean_restart";

    /// <summary>Data was lost on the gateway: a quota drop episode started, or corrupt journal records were found.</summary>
    public const string DataLoss = "data_loss";

    /// <summary>The <c>sensor</c> tag of the agent's own events.</summary>
    public const string Sensor = "agent";

    /// <param name="timestamp">Monotonic (<see cref="TimeProvider.GetTimestamp"/>), never the system clock's UTC.</param>
    public static AgentEvent Unclean(long unacknowledged, long timestamp) => new(UncleanRestart, Sensor,
        "the agent restarted after an unclean stop (power cut, crash or kill); the journal was recovered", timestamp)
    { Fields = [new("unacknowledged", unacknowledged)] };

    /// <param name="timestamp">Monotonic (<see cref="TimeProvider.GetTimestamp"/>), never the system clock's UTC.</param>
    public static AgentEvent CorruptRecords(long corrupt, long timestamp) => new(DataLoss, Sensor,
        "corrupt journal records were quarantined at start-up", timestamp)
    { Fields = [new("corrupt", corrupt)] };

    /// <param name="timestamp">Monotonic (<see cref="TimeProvider.GetTimestamp"/>), never the system clock's UTC.</param>
    public static AgentEvent QuotaDrops(long dropped, long timestamp) => new(DataLoss, Sensor,
        "the journal is full; the oldest telemetry is being dropped", timestamp)
    { Fields = [new("dropped", dropped)] };
}
