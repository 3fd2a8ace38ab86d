using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Devices.Tests.Gpsd;

/// <summary>
/// A hostile gpsd on a loopback port: each connection gets the next script, which reads the client's ?WATCH and then
/// writes what it likes (and closes the connection, or holds it open until the test ends).
/// </summary>
internal sealed class FakeGpsd : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<string> _commands = [];

    public FakeGpsd(params Func<NetworkStream, CancellationToken, Task>[] scripts)
    {
        _listener.Start();
        _accepting = AcceptAsync(scripts);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What each client sent first (its ?WATCH).</summary>
    public IReadOnlyList<string> Commands
    {
        get { lock (_commands) return [.. _commands]; }
    }

    public static Task WriteAsync(NetworkStream stream, string text, CancellationToken token) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), token).AsTask();

    /// <summary>Holds the connection open until the test ends.</summary>
    public static async Task HoldAsync(CancellationToken token)
    {
        try { await Task.Delay(Timeout.Infinite, token); }
        catch (OperationCanceledException) { }
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task>[] scripts)
    {
        var running = new List<Task>();
        try
        {
            foreach (var script in scripts)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                running.Add(RunAsync(client, script));
            }
        }
        catch (OperationCanceledException) { }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> script)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, _stop.Token);
            lock (_commands) _commands.Add(Encoding.ASCII.GetString(buffer, 0, read));
            await script(stream, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try { await _accepting; }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { }
        _stop.Dispose();
    }
}
