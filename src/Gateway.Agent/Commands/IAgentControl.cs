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

    /// <summary>
    /// Changes a running source's rate from its next sample until restart or reload-config (the profile is not
    /// rewritten); false with the reason, and what to do instead, when that source cannot run at it.
    /// </summary>
    /// <param name="requestedBy">Who asked, when the request says (for the log); null otherwise.</param>
    bool TrySetRate(string source, double ratePerSecond, string? requestedBy, out RateChange change, out string? problem);

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
    double OfflineSeconds)
{
    /// <summary>Each source with its current rate (null when its rate is not its own).</summary>
    public IReadOnlyList<SourceRate> Sources { get; init; } = [];
}

/// <summary>One line of the <c>self-test</c> answer.</summary>
public sealed record SelfTestCheck(string Name, bool Ok, string Detail);
