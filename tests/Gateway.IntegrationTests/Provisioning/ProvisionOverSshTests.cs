using Gateway.Cli.Provisioning;

namespace Gateway.IntegrationTests.Provisioning;

/// <summary><c>gatewayctl provision</c> over a real sshd into an image root in a temporary directory.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProvisionOverSshTests
{
    [Fact]
    public async Task Provision_InstallsEverything_WithModesAndOwners_AndSaysItDidNotStartTheService()
    {
        await using var f = await ProvisioningFixture.StartAsync();

        var (code, output, error) = f.Provision();

        Assert.True(code == 0, $"{output}\n{error}\nsshd:\n{f.Ssh.Output}");
        Assert.Contains("[5/5] service: installed into the image", output);
        Assert.Contains("created user gateway", output);
        Assert.True(PasswdFile.TryFind(f.InRoot("/etc/passwd"), "gateway", out var uid, out var gid));
        var groups = await File.ReadAllLinesAsync(f.InRoot("/etc/group"));
        foreach (var g in new[] { "dialout", "i2c", "spi", "gpio" })
            Assert.Contains(groups, l => l.StartsWith($"{g}:", StringComparison.Ordinal) && l.Split(':')[3].Split(',').Contains("gateway"));

        AssertFile(f.InRoot("/opt/gateway-agent/gateway-agent"), "755", 0, 0);
        AssertFile(f.InRoot("/opt/gateway-agent/gateway-agent.dll"), "644", 0, 0);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Repo.AgentBuildOutput(), "gateway-agent.dll")), await File.ReadAllBytesAsync(f.InRoot("/opt/gateway-agent/gateway-agent.dll")));
        AssertFile(f.InRoot("/etc/gateway/profile.json"), "640", 0, gid);
        AssertFile(f.InRoot("/etc/gateway/tls/gateway.key"), "600", uid, gid);
        AssertFile(f.InRoot("/etc/gateway/tls/gateway.crt"), "644", 0, 0);
        AssertFile(f.InRoot("/etc/gateway/tls/ca.crt"), "644", 0, 0);
        AssertFile(f.InRoot("/etc/gateway/tls"), "750", 0, gid);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(f.CertDir, "cp-alpha-01.key")), await File.ReadAllTextAsync(f.InRoot("/etc/gateway/tls/gateway.key")));

        var unit = await File.ReadAllTextAsync(f.InRoot("/etc/systemd/system/gateway-agent.service"));
        Assert.Contains("ExecStart=/opt/gateway-agent/gateway-agent --profile /etc/gateway/profile.json\n", unit);
        Assert.Contains("User=gateway\n", unit);
        Assert.Contains("Restart=always\n", unit);
        Assert.Contains("WatchdogSec=30\n", unit);
        Assert.Contains("Type=notify\n", unit);
        // The demo profile is the whole reference build (DESIGN §7): UART GPS with its PPS line, I2C sensors, SPI radio with GPIO lines.
        Assert.Contains("SupplementaryGroups=dialout gpio i2c spi\n", unit);
        Assert.Contains("DevicePolicy=closed\n", unit);
        var allowed = unit.Split('\n').Where(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["DeviceAllow=/dev/serial0 rw", "DeviceAllow=/dev/gpiochip0 rw", "DeviceAllow=/dev/i2c-1 rw", "DeviceAllow=/dev/spidev0.0 rw"], allowed);
        Assert.Equal("/etc/systemd/system/gateway-agent.service", new FileInfo(f.InRoot("/etc/systemd/system/multi-user.target.wants/gateway-agent.service")).LinkTarget);

        var config = await File.ReadAllTextAsync(f.InRoot("/boot/firmware/config.txt"));
        Assert.StartsWith(ProvisioningFixture.OriginalConfigTxt, config, StringComparison.Ordinal);
        Assert.Contains("[all]\n", config);
        Assert.Contains("enable_uart=1\n", config);
        Assert.Contains("dtparam=i2c_arm=on\n", config);
        Assert.Contains("dtparam=spi=on\n", config);
        // The 1-Wire pin is the profile's (GPIO26): GPIO4 is the radio's DIO0 (PinMap).
        Assert.Contains("dtoverlay=w1-gpio,gpiopin=26\n", config);
        Assert.DoesNotContain("gpiopin=4", config);
        var backups = Directory.GetFiles(f.InRoot("/boot/firmware"), "config.txt.gatewayctl-*");
        Assert.Equal(ProvisioningFixture.OriginalConfigTxt, await File.ReadAllTextAsync(Assert.Single(backups)));
        var cmdline = await File.ReadAllTextAsync(f.InRoot("/boot/firmware/cmdline.txt"));
        Assert.DoesNotContain("console=serial0", cmdline);
        Assert.Contains("console=tty1 root=PARTUUID=1234-02", cmdline);
        Assert.Contains("reboot", output);
    }

    [Fact]
    public async Task Provision_Twice_ChangesNothingTheSecondTime()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        var first = f.Provision();
        Assert.True(first.Code == 0, first.Output + first.Error);
        var snapshot = Snapshot(f.Root);

        var (code, output, error) = f.Provision();

        Assert.True(code == 0, output + error);
        Assert.Contains("files: all", output);
        Assert.Contains("nothing changed", output);
        Assert.DoesNotContain("wrote ", output);
        Assert.DoesNotContain("created", output);
        Assert.Equal(snapshot, Snapshot(f.Root));
    }

    [Fact]
    public async Task Provision_RemovesAgentFilesThatAreNoLongerPublished_AndRepairsAWrongMode()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        Assert.Equal(0, f.Provision().Code);
        await File.WriteAllTextAsync(f.InRoot("/opt/gateway-agent/Old.Removed.dll"), "stale");
        File.SetUnixFileMode(f.InRoot("/etc/gateway/tls/gateway.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var (code, output, error) = f.Provision();

        Assert.True(code == 0, output + error);
        Assert.Contains("removed /opt/gateway-agent/Old.Removed.dll", output);
        Assert.Contains("wrote /etc/gateway/tls/gateway.key", output);
        Assert.False(File.Exists(f.InRoot("/opt/gateway-agent/Old.Removed.dll")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f.InRoot("/etc/gateway/tls/gateway.key")));
    }

    [Fact]
    public async Task Provision_UnreachableTarget_FailsWithTheSshReason()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        var config = await File.ReadAllTextAsync(f.Ssh.ClientConfig);
        await File.WriteAllTextAsync(f.Ssh.ClientConfig, config.Replace($"Port {f.Ssh.Port}", $"Port {Gateway.TestKit.Io.FreePort.Next()}", StringComparison.Ordinal));

        var (code, _, error) = f.Provision();

        Assert.Equal(1, code);
        Assert.Contains("ssh to gw-test failed", error);
        Assert.Contains("Connection refused", error);
        Assert.False(Directory.Exists(f.InRoot("/opt/gateway-agent")));
    }

    private static void AssertFile(string path, string mode, int uid, int gid)
    {
        var (m, u, g) = Stat(path);
        Assert.True(m == mode && u == uid && g == gid, $"{path}: mode {m} owner {u}:{g}, expected {mode} {uid}:{gid}");
    }

    private static (string Mode, int Uid, int Gid) Stat(string path)
    {
        var info = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%a %u %g", path]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(info)!;
        var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        return (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every path with its size, mode and modification time: equal snapshots = nothing was touched.</summary>
    private static List<string> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => new FileInfo(p))
            .Select(i => $"{i.FullName} {(i.Attributes.HasFlag(FileAttributes.Directory) ? 0 : i.Length)} {i.UnixFileMode} {i.LastWriteTimeUtc.Ticks}")
            .ToList();
}
