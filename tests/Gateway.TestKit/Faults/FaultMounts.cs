using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.TestKit.Faults;

/// <summary>
/// Real faults for the journal (issue 12): a tiny tmpfs (ENOSPC for blocks or inodes) and an ext4 image on a loop
/// device mounted <c>errors=remount-ro</c>, which <see cref="LoopExt4.TriggerError"/> turns read-only the way a failing
/// SD card does. Root only (<see cref="RootFactAttribute"/>).
/// </summary>
public static partial class FaultMounts
{
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount(8) syntax: "2m") with at most <paramref name="inodes"/> inodes.</summary>
    public static Mount Tmpfs(string directory, string size, int inodes)
    {
        Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", $"size={size},nr_inodes={inodes}", "tmpfs", directory);
        return new Mount(directory, null);
    }

    /// <summary>Formats a <paramref name="megabytes"/> MiB ext4 image and mounts it on a loop device with errors=remount-ro.</summary>
    public static LoopExt4 Ext4(string directory, int megabytes)
    {
        Directory.CreateDirectory(directory);
        var image = directory + ".img";
        using (var f = File.Create(image)) f.SetLength(megabytes * 1024L * 1024);
        Run("mkfs.ext4", "-q", "-F", image);
        var device = Run("losetup", "--find", "--show", image).Trim();
        try
        {
            Run("mount", "-o", "errors=remount-ro", device, directory);
        }
        catch
        {
            Run("losetup", "-d", device);
            throw;
        }
        return new LoopExt4(directory, device, image);
    }

    /// <summary>Runs a root tool (mount, losetup, chown, chmod) and returns its output; throws with its stderr when it fails.</summary>
    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {error}");
        return output;
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}

/// <summary>A mount made for one test; dispose unmounts it (lazily, so that a process still holding a file cannot block it).</summary>
public class Mount : IDisposable
{
    private readonly string? _device;

    internal Mount(string path, string? device)
    {
        Path = path;
        _device = device;
    }

    public string Path { get; }

    public virtual void Dispose()
    {
        try { FaultMounts.Run("umount", "-l", Path); }
        catch (InvalidOperationException) { }
        if (_device is not null)
        {
            try { FaultMounts.Run("losetup", "-d", _device); }
            catch (InvalidOperationException) { }
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>An ext4 file system on a loop device, mounted errors=remount-ro.</summary>
public sealed class LoopExt4 : Mount
{
    private readonly string _image;

    internal LoopExt4(string path, string device, string image)
        : base(path, device)
    {
        Device = device;
        _image = image;
    }

    public string Device { get; }

    /// <summary>
    /// Makes ext4 record an error, as a failing card does (fs/ext4/sysfs.c trigger_fs_error): with errors=remount-ro
    /// the file system aborts its journal and every write from then on fails with EROFS.
    /// </summary>
    public void TriggerError() =>
        File.WriteAllText($"/sys/fs/ext4/{System.IO.Path.GetFileName(Device)}/trigger_fs_error", "1");

    public override void Dispose()
    {
        base.Dispose();
        File.Delete(_image);
    }
}
