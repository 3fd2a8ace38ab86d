using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Systemd;

/// <summary>
/// What the agent tells systemd over its life: READY=1 once the pipeline runs (not when the broker answers: the broker
/// may be away for days and the agent is working meanwhile), WATCHDOG=1 every half interval while the pipeline's loops
/// are alive (systemd.service(5) WatchdogSec=: a hung agent is killed and restarted), STOPPING=1 when a stop begins.
/// Without <c>$NOTIFY_SOCKET</c> every call does nothing.
/// </summary>
public sealed partial class SystemdLifecycle : IDisposable
{
    private readonly SystemdNotifier? _notifier;
    private readonly Func<bool> _healthy;
    private readonly ILogger _logger;
    private ITimer? _watchdog;
    private StatusFile? _statusFile;
    private Func<UplinkSnapshot>? _snapshot;
    private bool _warned;

    public SystemdLifecycle(SystemdNotifier? notifier, Func<bool> healthy, ILogger logger)
    {
        _notifier = notifier;
        _healthy = healthy;
        _logger = logger;
    }

    public long WatchdogPings { get; private set; }
    public long WatchdogSkipped { get; private set; }

    /// <summary>Reads <c>$NOTIFY_SOCKET</c>, <c>$WATCHDOG_USEC</c> and <c>$WATCHDOG_PID</c>, sends READY=1 and starts the watchdog pings.</summary>
    public static SystemdLifecycle Start(TimeProvider time, Func<bool> healthy, ILogger logger, string status, Func<UplinkSnapshot>? snapshot = null)
    {
        var lifecycle = new SystemdLifecycle(SystemdNotifier.FromEnvironment(), healthy, logger);
        lifecycle.WriteStatusTo(StatusFile.FromEnvironment(time), snapshot);
        lifecycle.Ready(status);
        var interval = SystemdNotifier.WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (interval is { } i) lifecycle.StartWatchdog(time, i);
        return lifecycle;
    }

    /// <summary>Each watchdog tick also rewrites <paramref name="file"/> from <paramref name="snapshot"/>.</summary>
    public void WriteStatusTo(StatusFile? file, Func<UplinkSnapshot>? snapshot)
    {
        _statusFile = file;
        _snapshot = snapshot;
    }

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    /// <summary>Pings at half the interval, as sd_watchdog_enabled(3) recommends, so one late tick is not a kill.</summary>
    public void StartWatchdog(TimeProvider time, TimeSpan interval)
    {
        var period = interval / 2;
        _watchdog = time.CreateTimer(_ => Tick(), null, period, period);
    }

    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping: flushing the last batch");

    private void Tick()
    {
        if (!_healthy())
        {
            // Not pinging is the point: systemd kills and restarts an agent whose pipeline died.
            WatchdogSkipped++;
            return;
        }
        WatchdogPings++;
        Send("WATCHDOG=1");
        if (_snapshot is not null) _statusFile?.Write(_snapshot());
    }

    private void Send(string state)
    {
        if (_notifier?.Notify(state) is { } error && !_warned)
        {
            _warned = true;
            LogNotifyFailed(_logger, error);
        }
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _notifier?.Dispose();
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Warning, Message = "Could not notify systemd over $NOTIFY_SOCKET ({Error}); the unit may time out or be killed by its watchdog")]
    private static partial void LogNotifyFailed(ILogger logger, string error);
}
