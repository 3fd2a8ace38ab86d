using System.Security.Cryptography;
using Gateway.TestKit.Faults;
using Gateway.IntegrationTests.Reliability;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// Upgrading the arm64 gateway-agent package in an image directory (issue 14, bad input): from 0.1's layout
/// (/etc/gateway-agent, /var/lib/gateway-agent) the profile, keys and journal move to /etc/gateway and /var/lib/gateway
/// with the paths inside them; a disk that fills during the upgrade leaves the version installed before exactly as it
/// was; an agent that runs during the upgrade goes on with its journal. Root only (dpkg --root owns files as the image's users; the full disk is a tmpfs).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentPackageUpgradeTests
{
    [RootFact]
    public async Task UpgradeFrom01Layout_MovesProfileKeysAndJournal_AndTheirPathsFollow()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var work = new TempDirectory("deb-upgrade");
        var image = work.File("root");
        MinimalImage.Create(image);
        // What 0.1 installed: its profile as a conffile; then provisioning's profile, key, unit, and an unsent journal.
        await Dpkg(image, "--install", await LegacyPackageAsync(work));
        await File.WriteAllTextAsync(Path.Combine(image, "etc/gateway-agent/profile.json"),
            "{ \"gatewayId\": \"cp-site-7\", \"broker\": { \"tls\": { \"keyFile\": \"/etc/gateway-agent/tls/gateway.key\" } } }\n");
        Directory.CreateDirectory(Path.Combine(image, "etc/gateway-agent/tls"));
        await File.WriteAllTextAsync(Path.Combine(image, "etc/gateway-agent/tls/gateway.key"), "KEY\n");
        Directory.CreateDirectory(Path.Combine(image, "var/lib/gateway-agent/journal"));
        await File.WriteAllTextAsync(Path.Combine(image, "var/lib/gateway-agent/journal/00000001.seg"), "unsent\n");
        await File.WriteAllTextAsync(Path.Combine(image, "etc/systemd/system/gateway-agent.service"),
            "[Service]\nExecStart=/opt/gateway-agent/gateway-agent --profile /etc/gateway-agent/profile.json\nStateDirectory=gateway-agent\n");

        var output = await Dpkg(image, "--force-confold", "--install", deb);

        var profile = await File.ReadAllTextAsync(Path.Combine(image, "etc/gateway/profile.json"));
        Assert.Contains("cp-site-7", profile);
        Assert.Contains("\"/etc/gateway/tls/gateway.key\"", profile);
        Assert.Equal("KEY\n", await File.ReadAllTextAsync(Path.Combine(image, "etc/gateway/tls/gateway.key")));
        Assert.Equal("unsent\n", await File.ReadAllTextAsync(Path.Combine(image, "var/lib/gateway/journal/00000001.seg")));
        var unit = await File.ReadAllTextAsync(Path.Combine(image, "etc/systemd/system/gateway-agent.service"));
        Assert.Contains("--profile /etc/gateway/profile.json\n", unit);
        Assert.Contains("\nStateDirectory=gateway\n", unit);
        Assert.False(Directory.Exists(Path.Combine(image, "etc/gateway-agent")), $"/etc/gateway-agent is still there:\n{output}");
        Assert.False(Directory.Exists(Path.Combine(image, "var/lib/gateway-agent")), $"/var/lib/gateway-agent is still there:\n{output}");
        // The package's example profile is kept beside the gateway's, as dpkg does for every changed conffile.
        Assert.True(File.Exists(Path.Combine(image, "etc/gateway/profile.json.dpkg-new")));
        Assert.Contains("moved /var/lib/gateway-agent to /var/lib/gateway", output);
    }

    [RootFact]
    public async Task DiskFullDuringUpgrade_DpkgPutsBackTheInstalledVersion_KeysAndJournalKept()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var work = new TempDirectory("deb-full");
        using var disk = FaultMounts.Tmpfs(work.File("root"), "64m", 4096);
        var image = disk.Path;
        MinimalImage.Create(image);
        await Dpkg(image, "--install", deb);
        await File.WriteAllTextAsync(Path.Combine(image, "etc/gateway/tls/gateway.key"), "KEY\n");
        await File.WriteAllTextAsync(Path.Combine(image, "var/lib/gateway/00000001.seg"), "unsent\n");
        var agent = Path.Combine(image, "usr/bin/gateway-agent");
        var before = SHA256.HashData(await File.ReadAllBytesAsync(agent));

        // Shrink the disk to what is used plus 2 MiB: dpkg unpacks the new binary (about 10 MB) beside the old one.
        var drive = new DriveInfo(image);
        var usedKb = (drive.TotalSize - drive.AvailableFreeSpace) / 1024;
        FaultMounts.Run("mount", "-o", $"remount,size={usedKb + 2048}k", image);
        var (code, output) = await DebianPackages.RunAsync("dpkg", [.. MinimalImage.DpkgOptions(image), "--install", deb]);

        Assert.True(code != 0, $"dpkg installed onto a full disk:\n{output}");
        Assert.Contains("No space left on device", output);
        var (_, status) = await DebianPackages.RunAsync("dpkg-query", ["--root", image, "-W", "-f=${db:Status-Abbrev}${Version}", "gateway-agent"]);
        Assert.StartsWith("ii ", status);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(agent)));
        Assert.Empty(Directory.GetFiles(Path.Combine(image, "usr/bin"), "*.dpkg-*"));
        Assert.Equal("KEY\n", await File.ReadAllTextAsync(Path.Combine(image, "etc/gateway/tls/gateway.key")));
        Assert.Equal("unsent\n", await File.ReadAllTextAsync(Path.Combine(image, "var/lib/gateway/00000001.seg")));
    }

    [RootFact]
    public async Task UpgradeWhileTheAgentRuns_ItKeepsAppending_OnTheSameJournalAndKeys()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var work = new TempDirectory("deb-live");
        var image = work.File("root");
        MinimalImage.Create(image);
        await Dpkg(image, "--install", deb);
        await File.WriteAllTextAsync(Path.Combine(image, "etc/gateway/tls/gateway.key"), "KEY\n");
        var agent = Path.Combine(image, "usr/bin/gateway-agent");
        var state = Path.Combine(image, "var/lib/gateway");
        await using var stack = new StackRunner();
        // No broker on that port: the agent keeps every reading in its journal, which is what an upgrade must not lose.
        var profile = stack.WriteProfile("cp-upgrade", FreePort.Next(), counterRate: 200);

        await using var running = ServerProcess.Start("qemu-aarch64-static", [agent, "--profile", profile, "--state-dir", state]);
        await WaitForJournalAsync(state, 0, running);
        var inode = Inode(agent);

        await Dpkg(image, "--force-confold", "--install", deb);

        // dpkg replaced the program by rename (a new inode) under the running agent, which goes on appending to its journal.
        Assert.NotEqual(inode, Inode(agent));
        Assert.False(running.HasExited, $"the agent stopped during the upgrade:\n{running.Output}");
        await WaitForJournalAsync(state, JournalBytes(state), running);
        await running.StopAsync(TimeSpan.FromSeconds(20));
        Assert.True(running.ExitCode == 0, $"the agent did not stop cleanly after the upgrade (exit {running.ExitCode}):\n{running.Output}");
        Assert.True(CrashScenario.AcceptedSoFar(state) > 0, "the journal the agent wrote is not readable after the upgrade");
        Assert.Equal("KEY\n", await File.ReadAllTextAsync(Path.Combine(image, "etc/gateway/tls/gateway.key")));
    }

    private static long JournalBytes(string state) =>
        Directory.Exists(Path.Combine(state, "journal"))
            ? Directory.EnumerateFiles(Path.Combine(state, "journal"), "*.seg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;

    /// <summary>Waits until the journal holds more than <paramref name="bytes"/> (bounded: an agent under qemu appends within seconds).</summary>
    private static async Task WaitForJournalAsync(string state, long bytes, ServerProcess agent)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (JournalBytes(state) <= bytes)
        {
            Assert.False(agent.HasExited, $"the agent exited:\n{agent.Output}");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"the journal did not grow past {bytes} bytes in 90 s:\n{agent.Output}");
            await Task.Delay(100);
        }
    }

    private static string Inode(string path) => FaultMounts.Run("stat", "-c", "%i", path).Trim();

    /// <summary>gateway-agent 0.1.0 as far as dpkg is concerned: its conffile in /etc/gateway-agent (no program needed).</summary>
    private static async Task<string> LegacyPackageAsync(TempDirectory work)
    {
        var stage = work.File("legacy");
        Directory.CreateDirectory(Path.Combine(stage, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(stage, "etc/gateway-agent"));
        await File.WriteAllTextAsync(Path.Combine(stage, "DEBIAN/control"),
            "Package: gateway-agent\nVersion: 0.1.0\nArchitecture: arm64\nMaintainer: Gateway maintainers <maintainers@gateway.invalid>\nDescription: the 0.1 layout\n");
        await File.WriteAllTextAsync(Path.Combine(stage, "DEBIAN/conffiles"), "/etc/gateway-agent/profile.json\n");
        await File.WriteAllTextAsync(Path.Combine(stage, "etc/gateway-agent/profile.json"), "{ \"gatewayId\": \"cp-ref-01\" }\n");
        var deb = work.File("gateway-agent_0.1.0_arm64.deb");
        var (code, output) = await DebianPackages.RunAsync("dpkg-deb", ["--root-owner-group", "--build", stage, deb]);
        Assert.True(code == 0, output);
        return deb;
    }

    private static Task<string> Dpkg(string root, params string[] args) => MinimalImage.DpkgAsync(root, args);
}
