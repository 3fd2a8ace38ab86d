using System.Formats.Tar;
using System.Text;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class InstallPlanTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("key");

    [Fact]
    public void NothingOnTheTarget_EverythingChanges()
    {
        var plan = InstallPlan.Create(Desired(), ProbeResult.Parse("gateway_ids=\n"), ["/opt/gateway-agent"]);
        Assert.Equal(3, plan.Changes.Count);
        Assert.Equal(0, plan.Unchanged);
    }

    [Fact]
    public void SameHashModeAndOwner_IsUnchanged_AnyDifferenceIsAChange()
    {
        var sha = Desired()[1].Sha256;
        var same = ProbeResult.Parse($"gateway_ids=999 994\nfile=600 999 994 {sha} /etc/gateway/tls/gateway.key\nfile=644 0 0 {Desired()[2].Sha256} /opt/gateway-agent/a.dll\nlink=/etc/systemd/system/gateway-agent.service /etc/systemd/system/multi-user.target.wants/gateway-agent.service\n");
        Assert.Empty(InstallPlan.Create(Desired(), same, ["/opt/gateway-agent"]).Changes);

        foreach (var variant in new[] { $"file=644 999 994 {sha}", $"file=600 0 0 {sha}", "file=600 999 994 00ff" })
        {
            var probe = ProbeResult.Parse($"gateway_ids=999 994\n{variant} /etc/gateway/tls/gateway.key\n");
            Assert.Contains(InstallPlan.Create(Desired(), probe, ["/opt/gateway-agent"]).Changes, c => c.Path == "/etc/gateway/tls/gateway.key");
        }
    }

    [Fact]
    public void FilesInAnOwnedTreeThatAreNotWanted_AreDeleted_OthersAreLeftAlone()
    {
        var probe = ProbeResult.Parse("gateway_ids=1 1\nfile=644 0 0 aa /opt/gateway-agent/old.dll\nfile=644 0 0 aa /etc/other.conf\n");
        var plan = InstallPlan.Create(Desired(), probe, ["/opt/gateway-agent"]);
        Assert.Contains(plan.Changes, c => c.Kind == ItemKind.Delete && c.Path == "/opt/gateway-agent/old.dll");
        Assert.DoesNotContain(plan.Changes, c => c.Path == "/etc/other.conf");
    }

    [Fact]
    public void Tar_CarriesTheManifestAndOnlyTheChangedContents()
    {
        var plan = InstallPlan.Create(Desired(), ProbeResult.Parse(""), ["/opt/gateway-agent"]);
        using var tar = plan.ToTar();
        using var reader = new TarReader(tar);
        var entries = new Dictionary<string, string>();
        while (reader.GetNextEntry() is { } e)
        {
            using var s = new StreamReader(e.DataStream!);
            entries[e.Name] = s.ReadToEnd();
        }
        var manifest = entries["MANIFEST"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("dir 750 root:gateway 0 /etc/gateway", manifest[0]);
        Assert.Equal("file 600 gateway 1 /etc/gateway/tls/gateway.key", manifest[1]);
        Assert.Equal("key", entries["f/1"]);
        Assert.Contains("link 0 root /etc/systemd/system/gateway-agent.service /etc/systemd/system/multi-user.target.wants/gateway-agent.service", manifest);
    }

    [Fact]
    public void Probe_ParsesPathsWithSpaces_AndFacts()
    {
        var probe = ProbeResult.Parse("os=Debian GNU/Linux 12 (bookworm)\nsystemd=running\ndisk_free_kb=2048\nfile=644 0 0 ab /opt/a b.txt\n");
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", probe.Get("os"));
        Assert.True(probe.SystemdRunning);
        Assert.Equal(2048 * 1024, probe.DiskFreeBytes);
        Assert.Equal("ab", probe.Files["/opt/a b.txt"].Sha256);
        Assert.Null(probe.GatewayIds);
    }

    private static List<DesiredItem> Desired() =>
    [
        new(ItemKind.Dir, "/etc/gateway", 0b111_101_000, "root:gateway"),
        new(ItemKind.File, "/etc/gateway/tls/gateway.key", 0b110_000_000, "gateway", Key),
        new(ItemKind.File, "/opt/gateway-agent/a.dll", 0b110_100_100, "root", [1, 2, 3]),
        new(ItemKind.Link, "/etc/systemd/system/multi-user.target.wants/gateway-agent.service", 0, "root", LinkTarget: "/etc/systemd/system/gateway-agent.service"),
    ];
}

public sealed class StatusRenderTests
{
    [Fact]
    public void Status_RendersServiceClockDiskAndUplink()
    {
        var facts = ProbeResult.Parse("""
            systemd=running
            ActiveState=active
            SubState=running
            Result=success
            NRestarts=2
            ActiveEnterTimestamp=Fri 2026-05-01 12:00:00 UTC
            NTPSynchronized=no
            now=2026-05-01T13:00:00Z
            disk=1048576 4194304
            agent={"updated":"2026-05-01T12:59:50Z","connected":false,"backlog_batches":12,"backlog_bytes":204800,"published_batches":40,"last_publish":"2026-05-01T12:30:00Z","dropped_readings":0,"clock_source":"none","clock_held":340}
            """);
        var lines = Gateway.Cli.Commands.Status.StatusCommands.Render(facts).ToList();
        Assert.Contains("service:     active (running), result success, 2 restart(s)", lines);
        Assert.Contains(lines, l => l.Contains("NOT synchronised", StringComparison.Ordinal));
        Assert.Contains("disk:        1024 MiB free of 4096 MiB (25% free)", lines);
        Assert.Contains("uplink:      NOT connected, backlog 12 batch(es) / 200 KiB, 0 reading(s) dropped", lines);
        Assert.Contains(lines, l => l.StartsWith("last publish: 2026-05-01T12:30:00Z", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("agent clock: NOT synchronised: 340 reading(s) held", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(3600.5, "null", "system clock: 3600.5 s BEHIND GPS time: logs are stamped wrong and TLS certificate checks may fail; chrony is not fed (set time.chronySocket, firmware-config/chrony/README.md)")]
    [InlineData(-0.004, "0", "system clock: within 0.004 s of GPS time; chrony is fed")]
    [InlineData(7200, "12", "system clock: 7200 s BEHIND GPS time: logs are stamped wrong and TLS certificate checks may fail; 12 sample(s) could not be given to chrony (see the agent's log)")]
    public void Status_SystemClockOffset_SaysHowFarAndWhetherChronyIsFed(double offset, string failed, string expected)
    {
        var o = offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var facts = ProbeResult.Parse($$"""
            systemd=running
            ActiveState=active
            now=2026-05-01T13:00:00Z
            agent={"updated":"2026-05-01T12:59:50Z","connected":true,"backlog_batches":0,"backlog_bytes":0,"published_batches":40,"last_publish":null,"dropped_readings":0,"clock_source":"gps","clock_held":0,"system_clock_offset_s":{{o}},"chrony_failed":{{failed}}}
            """);
        Assert.Contains(expected, Gateway.Cli.Commands.Status.StatusCommands.Render(facts).ToList());
    }
}
