namespace Gateway.Agent.Commands;

/// <summary>
/// What commands may see and do in the running agent: a narrow surface, so that a command can only read state, fsync
/// the journal, ask sources to change rate, check its own health, and ask the host to stop (systemd's
/// <c>Restart=always</c> starts it again). <see cref="AgentControl"/> implements it over the worker; tests fake it.
/// </summary>
public interface IAgentControl
{
    string GatewayId { get; }

    /// <summary>The profile file the agent was started with (what <c>reload-config</c> re-reads).</summary>
    string ProfilePath { get; }

    AgentStatus Status();

    /// <summary>Forces the journal's pending appends to disk (fsync), whatever the profile's fsync policy.</summary>
    void FlushJournal();

    /// <summary>The configured sources, by name, with their type.</summary>
    IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Changes a source's rate; false with the reason when that source cannot change it while running.</summary>
    bool TrySetRate(string source, double ratePerSecond, out string? problem);

    IReadOnlyList<SelfTestCheck> SelfTest();

    /// <summary>Asks the host to stop cleanly (journal flushed, "offline" published); systemd starts it again.</summary>
    void RequestRestart();
}

/// <summary>A snapshot for the <c>status</c> command.</summary>
public sealed record AgentStatus(
    string Profile,
    TimeSpan Uptime,
    bool Connected,
    bool Tls,
    long BacklogBatches,
    long BacklogBytes,
    long? OldestUnacknowledgedUnixMs,
    long PublishedBatches,
    long PublishedReadings,
    long AcceptedReadings,
    long DroppedReadings,
    double OfflineSeconds);

/// <summary>One line of the <c>self-test</c> answer.</summary>
public sealed record SelfTestCheck(string Name, bool Ok, string Detail);
