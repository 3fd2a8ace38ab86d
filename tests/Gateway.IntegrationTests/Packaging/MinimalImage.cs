namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The least of a Debian root file system that `dpkg --root` needs: an empty package database and the account files.
/// A real Raspberry Pi OS image has both (and the packages the agent depends on, which is why the tests pass
/// --force-depends and provisioning does not).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class MinimalImage
{
    public static void Create(string root, string architecture = "arm64")
    {
        foreach (var d in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc/systemd/system", "usr/sbin", "tmp" })
            Directory.CreateDirectory(Path.Combine(root, d));
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/available"), "");
        // The image's architectures as dpkg knows them: dpkg's native one is compiled in (the laptop's), so an arm64
        // image lists arm64 here, as `dpkg --add-architecture arm64` would.
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/arch"), $"{architecture}\n");
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\ndialout:x:20:\n");
        File.WriteAllText(Path.Combine(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(root, "etc/gshadow"), "root:*::\ndialout:*::\n");
        File.SetUnixFileMode(Path.Combine(root, "etc/shadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(root, "etc/gshadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>dpkg options for an install into <paramref name="root"/> from a machine of another architecture.</summary>
    public static string[] DpkgOptions(string root) =>
        ["--root", root, "--force-script-chrootless", "--force-depends", "--log=/dev/null"];
}
