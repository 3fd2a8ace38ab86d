using System.Diagnostics;
using System.Text;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// A gateway reached with the system's OpenSSH client: the engineer's keys, agent and ~/.ssh/config, never a stored
/// password (<c>BatchMode=yes</c> fails instead of prompting). One master connection is shared by every step
/// (<c>ControlMaster</c>), so a slow satellite link pays for one handshake, not one per step.
/// Scripts run with <c>sh -c</c> as root, through <c>sudo -n</c> when the login user is not root.
/// </summary>
public sealed class SshTarget : IAsyncDisposable
{
    private readonly string _destination;
    private readonly string? _configFile;
    private readonly string _controlDir;

    public SshTarget(string destination, string? configFile)
    {
        if (destination.StartsWith('-')) throw new ProvisioningException($"target '{destination}' looks like an option; give [USER@]HOST");
        _destination = destination;
        _configFile = configFile;
        // ControlPath must be short (a unix socket path, ≤ 108 bytes): a fresh directory in /tmp, %C a hash of the connection.
        _controlDir = Directory.CreateTempSubdirectory("gwctl-ssh-").FullName;
    }

    public string Destination => _destination;

    /// <summary>
    /// Runs <paramref name="script"/> as root on the target with <paramref name="args"/> as $1.., feeding
    /// <paramref name="stdin"/> (may be null). Output lines are passed to <paramref name="onLine"/> as they arrive.
    /// </summary>
    public async Task<SshResult> RunAsync(string script, IReadOnlyList<string> args, Stream? stdin, Action<string>? onLine, TimeSpan timeout)
    {
        var remote = new StringBuilder("S=; [ \"$(id -u)\" = 0 ] || S='sudo -n'; exec $S sh -c ");
        remote.Append(Quote(script)).Append(" gatewayctl");
        foreach (var a in args) remote.Append(' ').Append(Quote(a));

        var info = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_configFile is not null) { info.ArgumentList.Add("-F"); info.ArgumentList.Add(_configFile); }
        foreach (var o in new[] { "BatchMode=yes", "ConnectTimeout=30", "ServerAliveInterval=15", "ServerAliveCountMax=4",
                     "ControlMaster=auto", $"ControlPath={_controlDir}/%C", "ControlPersist=120" })
        {
            info.ArgumentList.Add("-o");
            info.ArgumentList.Add(o);
        }
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(_destination);
        info.ArgumentList.Add(remote.ToString());

        using var process = Process.Start(info) ?? throw new ProvisioningException("could not run ssh; install the OpenSSH client (Debian: openssh-client)");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (stdout) stdout.AppendLine(e.Data); onLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (stdin is not null) await stdin.CopyToAsync(process.StandardInput.BaseStream, cts.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ProvisioningException($"{_destination} did not finish a step within {timeout.TotalSeconds:0} s; the link may be down. Run the same command again: it continues where it stopped");
        }
        catch (IOException) when (process.HasExited)
        {
            // ssh exited before reading all of stdin (connection refused, authentication): its exit code says why.
        }
        process.WaitForExit();
        string Text(StringBuilder b) { lock (b) return b.ToString(); }
        var result = new SshResult(process.ExitCode, Text(stdout), Text(stderr));
        // ssh(1): exit status 255 means ssh itself failed (connect, host key, authentication), not the remote command.
        if (result.ExitCode == 255)
            throw new ProvisioningException($"ssh to {_destination} failed: {result.Error.Trim()}. Check that `ssh {_destination}` works with your key or agent (BatchMode: no password prompts)");
        return result;
    }

    /// <summary>POSIX shell single quotes: everything literal, a quote written as '\''.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        // Close the master connection ("ssh -O exit"), then remove its socket directory.
        try
        {
            var info = new ProcessStartInfo("ssh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (_configFile is not null) { info.ArgumentList.Add("-F"); info.ArgumentList.Add(_configFile); }
            foreach (var a in new[] { "-o", $"ControlPath={_controlDir}/%C", "-O", "exit", "--", _destination }) info.ArgumentList.Add(a);
            using var p = Process.Start(info);
            if (p is not null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await p.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { p.Kill(); }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        try { Directory.Delete(_controlDir, recursive: true); }
        catch (IOException) { }
    }
}

public sealed record SshResult(int ExitCode, string Output, string Error);
