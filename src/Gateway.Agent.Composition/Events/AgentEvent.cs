namespace Gateway.Agent.Events;

/// <summary>
/// A discrete event for <c>fleet/{gateway}/events</c> (DESIGN §4.3): measurement <c>event</c>, tags <c>kind</c>
/// (tag_seen, door, tamper, ...), <c>sensor</c> and, for tag events, <c>tag</c>; fields <c>message</c> plus
/// kind-specific ones. <see cref="Timestamp"/> is monotonic (TimeProvider units), converted by the clock discipline.
/// </summary>
public sealed record AgentEvent(string Kind, string Sensor, string Message, long Timestamp)
{
    /// <summary>The tag id (8 hex digits) for tag events, written as the <c>tag</c> tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Extra numeric or boolean fields (doubles are floats, longs integers, bools booleans).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Fields { get; init; } = [];
}

/// <summary>Where composed devices send events; the agent's <see cref="JournalEventSink"/> implements it.</summary>
public interface IEventSink
{
    /// <summary>Queues an event without blocking; false when it was dropped (queue full, counted).</summary>
    bool TryPublish(AgentEvent agentEvent);
}
