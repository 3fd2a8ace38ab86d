namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The least of a Debian root file system that `dpkg --root` needs: a package database with the agent's dependencies
/// and the account files. A real Raspberry Pi OS image has both.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class MinimalImage
{
    public static void Create(string root, string architecture = "arm64")
    {
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\ndialout:x:20:\n");
        File.WriteAllText(Path.Combine(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(root, "etc/gshadow"), "root:*::\ndialout:*::\n");
        File.SetUnixFileMode(Path.Combine(root, "etc/shadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(root, "etc/gshadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AddDpkgDatabase(root, architecture);
    }

    /// <summary>
    /// An image's dpkg database holding the packages the agent depends on (as installed; no files), so that dpkg's
    /// dependency check passes as it does on Raspberry Pi OS without --force-depends.
    /// </summary>
    public static void AddDpkgDatabase(string root, string architecture = "arm64")
    {
        foreach (var d in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc/systemd/system", "usr/sbin", "tmp" })
            Directory.CreateDirectory(Path.Combine(root, d));
        var status = string.Concat(new[] { ("libc6", "2.36-9+deb12u14"), ("libssl3", "3.0.17-1~deb12u2"), ("passwd", "1:4.13+dfsg1-1+b1") }.Select(p =>
            $"Package: {p.Item1}\nStatus: install ok installed\nPriority: required\nMaintainer: Debian\nArchitecture: {architecture}\nVersion: {p.Item2}\nDescription: stands for the image's {p.Item1}\n\n"));
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), status);
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/available"), "");
        // The image's architectures as dpkg knows them: dpkg's native one is compiled in (the laptop's), so an arm64
        // image lists arm64 here, as `dpkg --add-architecture arm64` would.
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/arch"), $"{architecture}\n");
    }

    /// <summary>dpkg options for an install into <paramref name="root"/> from a machine of another architecture.</summary>
    public static string[] DpkgOptions(string root) =>
        ["--root", root, "--force-script-chrootless", "--log=/dev/null"];

    /// <summary>dpkg with <see cref="DpkgOptions"/>; fails the test when dpkg fails, else returns what it printed.</summary>
    public static async Task<string> DpkgAsync(string root, params string[] args)
    {
        var (code, output) = await DebianPackages.RunAsync("dpkg", [.. DpkgOptions(root), .. args]);
        Assert.True(code == 0, $"dpkg {string.Join(' ', args)} failed (exit {code}):\n{output}");
        return output;
    }
}
