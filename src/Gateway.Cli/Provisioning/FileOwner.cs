using System.Diagnostics;

namespace Gateway.Cli.Provisioning;

/// <summary>Gives files to a service user, when this process is root and the user exists; otherwise says how to.</summary>
public static class FileOwner
{
    /// <summary>
    /// chowns <paramref name="paths"/> to <paramref name="user"/> of this machine's <c>/etc/passwd</c>. Returns null when
    /// done, or the command the engineer must run on the host instead (not root here, or no such user here).
    /// .NET has no chown API; chown(1) is in every Linux base system.
    /// </summary>
    public static string? TryGive(string user, IReadOnlyList<string> paths)
    {
        var manual = $"chown {user}: {string.Join(' ', paths)}";
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess || !PasswdFile.TryFind("/etc/passwd", user, out var uid, out var gid))
            return manual;
        var info = new ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add($"{uid}:{gid}");
        foreach (var p in paths) info.ArgumentList.Add(p);
        using var process = Process.Start(info) ?? throw new IOException($"could not run chown; run `{manual}` yourself");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new IOException($"chown failed ({error.Trim()}); run `{manual}` yourself");
        return null;
    }
}
