using Gateway.TestKit.Io;

namespace Gateway.TestKit.Servers;

/// <summary>
/// A real mosquitto broker on 127.0.0.1 on a free port, its config and persistence in a temporary directory.
/// It can be stopped and started again on the same port with the same persistence (broker restart, outage tests).
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("mosquitto");
    private readonly IReadOnlyList<string> _extraConfig;
    private ServerProcess? _process;

    private MosquittoServer(IReadOnlyList<string> extraConfig, int? port = null)
    {
        _extraConfig = extraConfig;
        Port = port ?? FreePort.Next();
    }

    public int Port { get; }
    /// <summary>Loopback: every test server binds 127.0.0.1 only.</summary>
    public string Host { get; } = "127.0.0.1";
    public string Directory => _dir.Path;
    public string Output => _process?.Output ?? "";

    /// <summary>Starts a broker. <paramref name="extraConfig"/> lines go under the listener (e.g. <c>max_inflight_messages 2</c>).</summary>
    public static async Task<MosquittoServer> StartAsync(params string[] extraConfig)
    {
        var server = new MosquittoServer(extraConfig);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts a broker on a port chosen earlier (a test that lets a client try before the broker exists).</summary>
    public static async Task<MosquittoServer> StartAtPortAsync(int port, params string[] extraConfig)
    {
        var server = new MosquittoServer(extraConfig, port);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the broker process (again) on the same port and persistence directory.</summary>
    public async Task StartAgainAsync()
    {
        var config = _dir.File("mosquitto.conf");
        // `user root`: mosquitto started as root otherwise drops to the `mosquitto` user, which cannot read or write
        // a test's temporary directory (DESIGN §8).
        var lines = new List<string>
        {
            "user root",
            "per_listener_settings false",
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {_dir.Path}/",
            "autosave_interval 1",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            $"listener {Port} 127.0.0.1",
        };
        lines.AddRange(_extraConfig);
        await File.WriteAllLinesAsync(config, lines);
        _process = ServerProcess.Start("mosquitto", ["-c", config]);
        await FreePort.WaitForListenerAsync(Port, TimeSpan.FromSeconds(15), () => $"mosquitto output:\n{_process.Output}");
    }

    /// <summary>Stops the broker cleanly (it saves persistence on SIGTERM).</summary>
    public Task StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(10)) ?? Task.CompletedTask;

    /// <summary>Kills the broker without letting it save.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
