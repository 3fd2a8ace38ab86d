using System.Diagnostics;
using Gateway.TestKit.Io;

namespace Gateway.TestKit.Servers;

/// <summary>
/// A real OpenSSH server (Debian's openssh-server) on 127.0.0.1 on a free port, with a temporary host key and one
/// authorized test key, run in the foreground (<c>-D -e</c>) from its own config. <see cref="ClientConfig"/> is an
/// ssh_config for <c>ssh -F</c> that pins the host key, so tests use strict host key checking like engineers do.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    public const string HostAlias = "gw-test";
    private readonly TempDirectory _dir = new("sshd");
    private ServerProcess? _process;

    private SshServer() => Port = FreePort.Next();

    public int Port { get; }
    public string Directory => _dir.Path;
    public string ClientConfig => _dir.File("ssh_config");
    public string ClientKey => _dir.File("id_ed25519");
    public string Output => _process?.Output ?? "";

    public static async Task<SshServer> StartAsync()
    {
        var server = new SshServer();
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gw-test-host", "-f", _dir.File("host_ed25519"));
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gw-test-client", "-f", ClientKey);
        File.Copy(ClientKey + ".pub", _dir.File("authorized_keys"));
        var hostKey = (await File.ReadAllTextAsync(_dir.File("host_ed25519.pub"))).Trim();
        await File.WriteAllTextAsync(_dir.File("known_hosts"), $"[127.0.0.1]:{Port} {hostKey}\n");
        // StrictModes no: the temp directory's permissions are not sshd's business here. UsePAM no: no PAM session
        // for a test login. sshd must run as root to switch to the logged-in user (here root itself).
        await File.WriteAllTextAsync(_dir.File("sshd_config"), $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {_dir.File("host_ed25519")}
            AuthorizedKeysFile {_dir.File("authorized_keys")}
            PidFile {_dir.File("sshd.pid")}
            StrictModes no
            UsePAM no
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            AllowTcpForwarding no
            X11Forwarding no
            LogLevel INFO
            Subsystem sftp internal-sftp
            """);
        await File.WriteAllTextAsync(ClientConfig, $"""
            Host {HostAlias}
              HostName 127.0.0.1
              Port {Port}
              User {Environment.UserName}
              IdentityFile {ClientKey}
              IdentitiesOnly yes
              UserKnownHostsFile {_dir.File("known_hosts")}
              StrictHostKeyChecking yes
              LogLevel ERROR
            """);
        // sshd refuses to start without its privilege separation directory (Debian creates it at boot via tmpfiles).
        System.IO.Directory.CreateDirectory("/run/sshd");
        _process = ServerProcess.Start("/usr/sbin/sshd", ["-D", "-e", "-f", _dir.File("sshd_config")]);
        await FreePort.WaitForListenerAsync(Port, TimeSpan.FromSeconds(15), () => $"sshd output:\n{_process.Output}");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await p.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
