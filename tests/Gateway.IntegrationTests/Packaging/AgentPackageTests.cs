using Gateway.TestKit.Faults;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The arm64 gateway-agent package as a Pi receives it (issue 14): what it holds, that lintian finds no error, and that
/// `dpkg --root` installs it into an image directory (the way provisioning builds an image from an x86-64 laptop) with
/// its maintainer scripts creating the user, groups, directories and the enabled unit, and that remove and purge
/// leave what Debian users expect.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentPackageTests
{
    [Fact]
    public async Task Arm64Package_HoldsAnArm64Binary_TheUnit_TheProfileAsConffile_AndFirmwareConfig()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var dir = new TempDirectory("deb-x");
        await Run("dpkg-deb", "-x", deb, dir.Path);
        await Run("dpkg-deb", "-e", deb, dir.File("DEBIAN"));

        var control = await File.ReadAllTextAsync(dir.File("DEBIAN/control"));
        Assert.Contains("Package: gateway-agent\n", control);
        Assert.Contains("Architecture: arm64\n", control);
        var binary = dir.File("usr/bin/gateway-agent");
        Assert.Equal(ElfMachineAarch64, ElfMachine(binary));
        Assert.True((File.GetUnixFileMode(binary) & UnixFileMode.UserExecute) != 0, "usr/bin/gateway-agent is not executable");
        Assert.True(new FileInfo(deb).Length <= 25L * 1024 * 1024, $"{deb} is {new FileInfo(deb).Length} bytes; the target is at most 25 MB");

        var unit = await File.ReadAllTextAsync(dir.File("lib/systemd/system/gateway-agent.service"));
        Assert.Contains("ExecStart=/usr/bin/gateway-agent --profile /etc/gateway/profile.json\n", unit);
        Assert.Contains("User=gateway\n", unit);
        Assert.Contains("StateDirectory=gateway\n", unit);
        Assert.Equal("/etc/gateway/profile.json", (await File.ReadAllTextAsync(dir.File("DEBIAN/conffiles"))).Trim());
        Assert.True(File.Exists(dir.File("etc/gateway/profile.json")));
        foreach (var f in new[] { "raspberrypi/config.txt", "raspberrypi/interface-1wire.txt", "schema/gateway-profile.schema.json", "profiles/reference-pi.json" })
            Assert.True(File.Exists(dir.File($"usr/share/gateway-agent/firmware-config/{f}")), $"the package lacks usr/share/gateway-agent/firmware-config/{f}");
        Assert.False(Directory.EnumerateFiles(dir.Path, "*.dbg", SearchOption.AllDirectories).Any(), "debug symbols were packaged");
        foreach (var script in new[] { "preinst", "postinst", "prerm", "postrm" })
            await Run("sh", "-n", dir.File($"DEBIAN/{script}"));
    }

    [Fact]
    public async Task Arm64Package_Lintian_ReportsNoErrors()
    {
        await DebianPackages.AssertLintianFindsNoErrorAsync(await DebianPackages.GetAsync("gateway-agent", "arm64"));
    }

    [RootFact]
    public async Task Arm64Package_DpkgRootInstall_CreatesUserDirsAndEnabledUnit_RemoveKeepsKeys_PurgeCleans()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var image = new TempDirectory("deb-root");
        MinimalImage.Create(image.Path);

        await Dpkg(image.Path, "--install", deb);
        var passwd = await File.ReadAllTextAsync(image.File("etc/passwd"));
        Assert.Matches(@"(?m)^gateway:x:\d+:\d+:Gateway telemetry agent:/var/lib/gateway:/usr/sbin/nologin$", passwd);
        var group = await File.ReadAllLinesAsync(image.File("etc/group"));
        foreach (var g in new[] { "dialout", "gpio", "i2c", "spi" })
            Assert.Contains(group, l => l.StartsWith($"{g}:", StringComparison.Ordinal) && l.Split(':')[3].Split(',').Contains("gateway"));
        var uid = int.Parse(passwd.Split('\n').First(l => l.StartsWith("gateway:", StringComparison.Ordinal)).Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(uid, OwnerOf(image.File("var/lib/gateway")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(image.File("etc/gateway/tls")));
        Assert.Equal("/lib/systemd/system/gateway-agent.service", new FileInfo(image.File("etc/systemd/system/multi-user.target.wants/gateway-agent.service")).LinkTarget);

        // A provisioned gateway: its own profile and key. An upgrade (the same package again) keeps both.
        await File.WriteAllTextAsync(image.File("etc/gateway/profile.json"), "{ \"gatewayId\": \"cp-site-7\" }\n");
        await File.WriteAllTextAsync(image.File("etc/gateway/tls/gateway.key"), "KEY\n");
        await File.WriteAllTextAsync(image.File("var/lib/gateway/journal.seg"), "unsent\n");
        await Dpkg(image.Path, "--force-confold", "--install", deb);
        Assert.Contains("cp-site-7", await File.ReadAllTextAsync(image.File("etc/gateway/profile.json")));
        Assert.True(File.Exists(image.File("etc/gateway/tls/gateway.key")));

        await Dpkg(image.Path, "--remove", "gateway-agent");
        Assert.False(File.Exists(image.File("usr/bin/gateway-agent")));
        Assert.False(File.Exists(image.File("lib/systemd/system/gateway-agent.service")));
        Assert.True(File.Exists(image.File("etc/gateway/tls/gateway.key")), "remove deleted the gateway's key");
        Assert.True(File.Exists(image.File("var/lib/gateway/journal.seg")), "remove deleted the journal");

        await Dpkg(image.Path, "--purge", "gateway-agent");
        Assert.False(Directory.Exists(image.File("etc/gateway")), "purge left /etc/gateway");
        Assert.False(Directory.Exists(image.File("var/lib/gateway")), "purge left /var/lib/gateway");
        Assert.False(File.Exists(image.File("etc/systemd/system/multi-user.target.wants/gateway-agent.service")), "purge left the unit enabled");
    }

    private const int ElfMachineAarch64 = 183;

    /// <summary>e_machine of an ELF file (ELF specification, "ELF Header": a 16-bit field at offset 18).</summary>
    private static int ElfMachine(string path)
    {
        var header = new byte[20];
        using (var f = File.OpenRead(path)) f.ReadExactly(header);
        Assert.True(header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F', $"{path} is not an ELF file");
        return header[18] | header[19] << 8;
    }

    private static int OwnerOf(string path) =>
        int.Parse(DebianPackages.RunAsync("stat", ["-c", "%u", path]).GetAwaiter().GetResult().Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static Task<string> Dpkg(string root, params string[] args) => MinimalImage.DpkgAsync(root, args);

    private static async Task Run(string file, params string[] args)
    {
        var (code, output) = await DebianPackages.RunAsync(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} failed (exit {code}):\n{output}");
    }
}
