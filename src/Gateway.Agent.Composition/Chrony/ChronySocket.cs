using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Agent.Chrony;

/// <summary>
/// Sends <see cref="ChronySample"/> datagrams to the Unix socket chronyd created for a <c>refclock SOCK</c> line. The
/// socket may be missing (chronyd not running or not configured), refuse (chronyd restarted and re-created it) or be
/// unwritable (permissions): each failure is counted, logged once until samples flow again, and the next sample
/// retries. Nothing here ever throws to the GPS reader. Not thread-safe: one feed calls it.
/// </summary>
public sealed partial class ChronySocket(string path, ILogger logger) : IDisposable
{
    private Socket? _socket;
    private SocketError? _lastError;
    private readonly AtomicCounter _sent = new();
    private readonly AtomicCounter _failed = new();

    /// <summary>The Unix socket chronyd listens on (its <c>refclock SOCK</c> path).</summary>
    public string Path { get; } = path;

    /// <summary>Samples chronyd accepted into its socket.</summary>
    public long Sent => _sent.Value;

    /// <summary>Samples that could not be sent (missing socket, refused, not writable).</summary>
    public long Failed => _failed.Value;

    /// <summary>Sends one sample; false when it could not be sent (counted in <see cref="Failed"/>, logged once per kind of
    /// failure). Connects, or connects again, as needed.</summary>
    public bool Send(in ChronySample sample)
    {
        var copy = sample;
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<ChronySample>(ref copy));
        try
        {
            _socket ??= Connect();
            _socket.Send(bytes);
            _sent.Increment();
            if (_lastError is not null) LogResumed(logger, Path);
            _lastError = null;
            return true;
        }
        catch (SocketException ex)
        {
            _failed.Increment();
            _socket?.Dispose();
            _socket = null; // chronyd may re-create the socket: connect again next time
            if (_lastError != ex.SocketErrorCode) LogFailed(logger, Path, ex.Message, Advice(ex.SocketErrorCode));
            _lastError = ex.SocketErrorCode;
            return false;
        }
    }

    /// <summary>Closes our end of the socket.</summary>
    public void Dispose() => _socket?.Dispose();

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(Path));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private string Advice(SocketError error) => error switch
    {
        SocketError.AccessDenied =>
            $"the agent's user may not write {Path}: the chrony drop-in from firmware-config/chrony (installed by gatewayctl provision) gives group gateway write access after chronyd starts; restart chrony",
        _ =>
            $"chronyd is not running or has no 'refclock SOCK {Path}' line: install firmware-config/chrony/gateway-gps.conf in /etc/chrony/conf.d (gatewayctl provision does) and restart chrony",
    };

    [LoggerMessage(EventId = 5230, Level = LogLevel.Warning, Message = "Cannot give chrony the GPS time through {Path}: {Reason}; {Advice}. Retrying with every sample; the agent's own timestamps are not affected")]
    private static partial void LogFailed(ILogger logger, string path, string reason, string advice);

    [LoggerMessage(EventId = 5231, Level = LogLevel.Information, Message = "chrony takes the GPS time through {Path} again")]
    private static partial void LogResumed(ILogger logger, string path);
}
