namespace Gateway.DiskQueue;

/// <summary>
/// The two priority classes of the journal (issue 4, DESIGN §5 "bounded disk"). When the quota is reached the oldest
/// <see cref="Telemetry"/> is dropped first; <see cref="Event"/> records (a door opened, a tamper switch, a power loss)
/// are dropped only when no telemetry is left to drop, because a missed event is worth more than a missed sample.
/// Each lane keeps its own order, ids and acknowledgement cursor.
/// </summary>
public enum JournalLane : byte
{
    /// <summary>Batches of readings: dropped first when the quota is reached.</summary>
    Telemetry = 0,

    /// <summary>Discrete events (door, tamper, power loss, restart): dropped last.</summary>
    Event = 1,
}
