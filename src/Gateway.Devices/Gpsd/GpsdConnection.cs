using System.Net.Sockets;

namespace Gateway.Devices.Gpsd;

/// <summary>Opens the stream a <see cref="GpsdSource"/> reads; tests give their own (STYLE.md habit 17).</summary>
public delegate ValueTask<Stream> GpsdConnector(GpsdEndpoint endpoint, CancellationToken cancellationToken);

/// <summary>The TCP connection to a real gpsd: socket errors become one <see cref="IOException"/> naming gpsd's address.</summary>
internal static class GpsdConnection
{
    /// <summary>gpsd on a LAN answers in milliseconds; beyond this the host is down or a firewall drops the SYN.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Connects within <see cref="ConnectTimeout"/> and turns on TCP keep-alive; the stream owns the socket. Throws an
    /// <see cref="IOException"/> naming gpsd's address when it cannot connect, which the source counts and retries.
    /// </summary>
    public static async ValueTask<Stream> ConnectTcpAsync(GpsdEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            // A gpsd host that vanishes without a FIN (power cut, cable) is noticed by keep-alive, not by a read.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"gpsd at {endpoint}: no answer within {ConnectTimeout.TotalSeconds} s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"gpsd at {endpoint}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
