namespace Gateway.DiskQueue;

/// <summary>
/// The two priority classes of the journal (issue 4, DESIGN §5 "bounded disk"). When the quota is reached the oldest
/// <see cref="Telemetry"/> is dropped first; <see cref="Event"/> records (a door opened, a tamper switch, a power loss)
/// are dropped only when no telemetry is left to drop, because a missed event is worth more than a missed sample.
/// Each lane keeps its own order, ids and acknowledgement cursor.
/// </summary>
public enum JournalLane : byte
{
    Telemetry = 0,
    Event = 1,
}
