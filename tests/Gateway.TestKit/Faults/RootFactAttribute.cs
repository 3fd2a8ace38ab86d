namespace Gateway.TestKit.Faults;

/// <summary>
/// A fact that makes real file-system faults (tmpfs and loop mounts, ext4 errors, another user's permissions), which
/// needs root on Linux. Anywhere else it is skipped, and the runner shows why. CI runs as root, so there it runs.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (tmpfs, loop devices, ext4)";
        else if (!FaultMounts.IsRoot) Skip = "needs root to mount a small tmpfs or an ext4 image on a loop device (CI runs as root)";
    }
}
