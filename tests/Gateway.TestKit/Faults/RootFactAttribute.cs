using System.Globalization;

namespace Gateway.TestKit.Faults;

/// <summary>What a fault test needs besides root.</summary>
[Flags]
public enum FaultNeeds
{
    /// <summary>mount(2): CAP_SYS_ADMIN, which root in an unprivileged container lacks.</summary>
    Mount = 1,

    /// <summary>A loop device (/dev/loop-control), losetup and mkfs.ext4, for an ext4 image; implies <see cref="Mount"/>.</summary>
    LoopDevice = 2 | Mount,

    /// <summary>Running a process as another user: setpriv and the user nobody.</summary>
    OtherUser = 4,
}

/// <summary>
/// A fact that makes real file-system faults (tmpfs and loop mounts, ext4 errors, another user's permissions), which
/// needs root on Linux and what <see cref="FaultNeeds"/> names. Anywhere else it is skipped, and the runner shows
/// what is missing. CI runs as root on a machine that has them (deploy/dev/test.sh installs the tools), so there it runs.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(FaultNeeds needs = FaultNeeds.Mount)
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (tmpfs, loop devices, ext4)";
        else if (!FaultMounts.IsRoot) Skip = "needs root to mount a small tmpfs or an ext4 image on a loop device (CI runs as root)";
        else Skip = Missing(needs);
    }

    /// <summary>Why a root process here cannot make the faults <paramref name="needs"/> names, or null when it can.</summary>
    public static string? Missing(FaultNeeds needs)
    {
        if (needs.HasFlag(FaultNeeds.Mount) && !HasSysAdmin())
            return "needs CAP_SYS_ADMIN to mount (root here lacks it: an unprivileged container?)";
        if (needs.HasFlag(FaultNeeds.LoopDevice))
        {
            if (!File.Exists("/dev/loop-control")) return "needs loop devices (/dev/loop-control is missing: a container without them, or no loop module)";
            if (FindTool("losetup") is null) return "needs losetup (apt-get install mount)";
            if (FindTool("mkfs.ext4") is null) return "needs mkfs.ext4 (apt-get install e2fsprogs)";
        }
        if (needs.HasFlag(FaultNeeds.OtherUser))
        {
            if (FindTool("setpriv") is null) return "needs setpriv (apt-get install util-linux)";
            if (!File.ReadLines("/etc/passwd").Any(l => l.StartsWith("nobody:", StringComparison.Ordinal))) return "needs the user nobody in /etc/passwd";
        }
        return null;
    }

    /// <summary>CAP_SYS_ADMIN (bit 21, linux/capability.h) in the effective set of /proc/self/status.</summary>
    private static bool HasSysAdmin()
    {
        const int CapSysAdmin = 21;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
            && (caps & (1UL << CapSysAdmin)) != 0;
    }

    private static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
