using System.Diagnostics;
using Gateway.TestKit.Io;

namespace Gateway.TestKit.Servers;

/// <summary>
/// A real chronyd (Debian's chrony) for a test: in the foreground (<c>-d</c>), never touching this machine's clock
/// (<c>-x</c>), with its own config, pid file, drift file, refclock sockets and command socket in a temporary
/// directory, no NTP port and no command port. <see cref="ChronycAsync"/> asks it through that command socket.
/// Needs root (chronyd's <c>-u root</c>; CI runs as root).
/// </summary>
public sealed class ChronyServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("chronyd");
    private ServerProcess? _process;

    private ChronyServer() { }

    public string Directory => _dir.Path;

    /// <summary>chronyd wants its command socket in a directory nobody else may write.</summary>
    public string CommandSocket => Path.Combine(_dir.Path, "cmd", "chronyd.sock");

    public string Output => _process?.Output ?? "";

    /// <summary>
    /// Starts chronyd with <paramref name="refclockLines"/> (<c>refclock ...</c> lines; <c>{DIR}</c> stands for
    /// <see cref="Directory"/>) and waits until its command socket exists.
    /// </summary>
    public static async Task<ChronyServer> StartAsync(IEnumerable<string> refclockLines)
    {
        var server = new ChronyServer();
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("chronyd runs on Linux");
        System.IO.Directory.CreateDirectory(Path.Combine(server.Directory, "cmd"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var conf = Path.Combine(server.Directory, "chrony.conf");
        await File.WriteAllLinesAsync(conf, [
            .. refclockLines.Select(l => l.Replace("{DIR}", server.Directory, StringComparison.Ordinal)),
            $"pidfile {Path.Combine(server.Directory, "chronyd.pid")}",
            $"driftfile {Path.Combine(server.Directory, "drift")}",
            $"bindcmdaddress {server.CommandSocket}",
            "cmdport 0",
            "port 0",
        ]);
        server._process = ServerProcess.Start("chronyd", ["-x", "-d", "-u", "root", "-f", conf]);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(server.CommandSocket))
        {
            if (server._process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"chronyd did not start:\n{server.Output}");
            await Task.Delay(50);
        }
        return server;
    }

    /// <summary>Runs <c>chronyc -n -h SOCKET ARGS</c> and returns its output.</summary>
    public async Task<string> ChronycAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("chronyc") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-n", "-h", CommandSocket, .. arguments]) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start chronyc.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"chronyc {string.Join(' ', arguments)} failed: {error}{output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(5));
            await _process.DisposeAsync();
        }
        _dir.Dispose();
    }
}
