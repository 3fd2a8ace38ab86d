using Gateway.TestKit.Io;

namespace Gateway.TestKit.Servers;

/// <summary>
/// A real gpsd (Debian's gpsd) for a test: in the foreground (<c>-N</c>), reading <see cref="Device"/> at once
/// (<c>-n</c>) without reconfiguring it (<c>-b</c>), listening on 127.0.0.1 only (gpsd's default without <c>-G</c>) at
/// a free <see cref="Port"/>, with its control socket in a temporary directory. <see cref="RestartAsync"/> stops it and
/// starts it again on the same port, as a site's gpsd restarting.
/// </summary>
public sealed class GpsdServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gpsd");
    private ServerProcess? _process;

    private GpsdServer(string device, int port)
    {
        Device = device;
        Port = port;
    }

    public string Device { get; }

    public int Port { get; }

    public string Output => _process?.Output ?? "";

    public static async Task<GpsdServer> StartAsync(string device)
    {
        var server = new GpsdServer(device, FreePort.Next());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops gpsd (SIGTERM) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(TimeSpan.FromSeconds(5));
        await _process.DisposeAsync();
        _process = null;
    }

    private async Task StartProcessAsync()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("gpsd runs on Linux");
        try
        {
            _process = ServerProcess.Start("gpsd", ["-N", "-n", "-b", "-S", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-F", Path.Combine(_dir.Path, "gpsd.sock"), Device]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("gpsd is not installed; run deploy/dev/test.sh (it installs it) or apt-get install gpsd", ex);
        }
        await FreePort.WaitForListenerAsync(Port, TimeSpan.FromSeconds(20), () => Output);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
