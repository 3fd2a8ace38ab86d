using System.Globalization;

namespace Gateway.Cli.Provisioning;

/// <summary>What <see cref="RemoteScripts.Probe"/> reported: target facts and the state of each managed file.</summary>
public sealed class ProbeResult
{
    public Dictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, RemoteFile> Files { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Links { get; } = new(StringComparer.Ordinal);

    public string Get(string key) => Facts.TryGetValue(key, out var v) ? v : "";
    public bool SystemdRunning => Get("systemd") == "running";

    /// <summary>The gateway user's uid and gid in the target, or null before it exists.</summary>
    public (int Uid, int Gid)? GatewayIds =>
        Get("gateway_ids").Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var u, var g]
        && int.TryParse(u, CultureInfo.InvariantCulture, out var uid) && int.TryParse(g, CultureInfo.InvariantCulture, out var gid)
            ? (uid, gid) : null;

    public long DiskFreeBytes => long.TryParse(Get("disk_free_kb"), CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : -1;

    public static ProbeResult Parse(string output)
    {
        var result = new ProbeResult();
        foreach (var line in output.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var key = line[..eq];
            var value = line[(eq + 1)..].TrimEnd('\r');
            if (key == "file")
            {
                // "mode uid gid sha256 path" (path last: it may contain spaces)
                var f = value.Split(' ', 5);
                if (f.Length == 5 && int.TryParse(f[1], CultureInfo.InvariantCulture, out var uid) && int.TryParse(f[2], CultureInfo.InvariantCulture, out var gid))
                    result.Files[f[4]] = new RemoteFile(Convert.ToInt32(f[0], 8), uid, gid, f[3]);
            }
            else if (key == "link")
            {
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0) result.Links[value[(space + 1)..]] = value[..space];
            }
            else
            {
                result.Facts[key] = value;
            }
        }
        return result;
    }
}

public sealed record RemoteFile(int Mode, int Uid, int Gid, string Sha256);
