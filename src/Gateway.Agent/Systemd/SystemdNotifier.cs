using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Agent.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per state change to the unix socket named in <c>$NOTIFY_SOCKET</c>
/// (a path, or an abstract name when it starts with '@'), carrying newline-separated assignments such as
/// <c>READY=1</c>, <c>WATCHDOG=1</c>, <c>STOPPING=1</c>, <c>STATUS=...</c>. Failures are reported, never thrown: the
/// agent must run the same with and without systemd.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;

    public SystemdNotifier(string notifySocket)
    {
        ArgumentException.ThrowIfNullOrEmpty(notifySocket);
        // sd_notify(3): "If the first character of $NOTIFY_SOCKET is '@', the string is understood as Linux abstract
        // namespace socket"; .NET addresses the abstract namespace with a leading NUL.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The notifier systemd asked for, or null when the agent does not run under a Type=notify unit.</summary>
    public static SystemdNotifier? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } socket ? new SystemdNotifier(socket) : null;

    /// <summary>
    /// The watchdog interval systemd expects pings within (<c>$WATCHDOG_USEC</c>), or null when there is none or it is
    /// meant for another process (<c>$WATCHDOG_PID</c>, sd_watchdog_enabled(3)).
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid, int ownPid)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds == 0) return null;
        if (pid is { Length: > 0 } && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p != ownPid)) return null;
        return TimeSpan.FromMicroseconds(microseconds);
    }

    /// <summary>Sends <paramref name="state"/>; returns the error text when the datagram could not be sent.</summary>
    public string? Notify(string state)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endPoint);
            return null;
        }
        catch (SocketException ex)
        {
            return $"{ex.SocketErrorCode}: {ex.Message}";
        }
    }

    public void Dispose() => _socket.Dispose();
}
