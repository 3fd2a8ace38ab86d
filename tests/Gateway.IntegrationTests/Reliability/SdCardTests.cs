using System.Text;
using Gateway.Agent;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Faults;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// The agent as its own process on a failing SD card (issue 12 items 10 to 13): real faults, made as root (skipped
/// otherwise, with the reason).
/// </summary>
public sealed class SdCardTests
{
    [RootFact(FaultNeeds.LoopDevice)]
    public async Task CardRemountedReadOnly_AgentExitsWithCode74_SayingWhatToCheck()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = new ReliabilityRig();
        using var card = FaultMounts.Ext4(Path.Combine(rig.Directory, "card"), 16);
        var state = Path.Combine(card.Path, "state");
        // No broker: the agent journals offline, so every batch is a write to the card.
        var profile = rig.WriteProfile("cp-rocard", FreePort.Next(), counterRate: 500);
        await using var agent = ServerProcess.Start("dotnet", [rig.AgentDll, "--profile", profile, "--state-dir", state]);
        var telemetry = Path.Combine(state, "journal", "telemetry");
        while (!Directory.Exists(telemetry) || Directory.GetFiles(telemetry, "*.seg").Sum(f => new FileInfo(f).Length) == 0)
        {
            Assert.False(agent.HasExited, agent.Output);
            await Task.Delay(100, cts.Token);
        }

        card.TriggerError();

        // Before issue 12 the agent went on, alive and journalling nothing, until SIGTERM.
        await agent.WaitForExitAsync(cts.Token);
        Assert.True(agent.ExitCode == AgentHost.ExitIoError, $"exit code {agent.ExitCode}:\n{agent.Output}");
        Assert.Contains("The journal pipeline stopped", agent.Output);
        Assert.Contains("Read-only file system", agent.Output);
        Assert.Contains("check dmesg and the SD card", agent.Output);
    }

    [RootFact(FaultNeeds.OtherUser)]
    public async Task UnreadableSegment_IsQuarantined_AndTheAgentStarts()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var rig = new ReliabilityRig();
        var journalDirectory = Path.Combine(rig.StateDirectory, "journal");
        using (var journal = DiskJournal.Open(new DiskJournalOptions { Directory = journalDirectory, SegmentBytes = 4096, MinFreeDiskBytes = 0 }))
            for (var i = 1; i <= 300; i++) journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes($"counter,sensor=seq seq={i}i {1_700_000_000_000L + i}\n"), 1);
        var segments = Directory.GetFiles(Path.Combine(journalDirectory, "telemetry"), "*.seg").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length >= 3);
        var profile = rig.WriteProfile("cp-badsector", FreePort.Next(), counterRate: 50);
        // The agent runs as an unprivileged user, as under systemd, so that chmod 000 makes the segment unreadable to it.
        FaultMounts.Run("chown", "-R", "nobody:nogroup", rig.Directory);
        FaultMounts.Run("chmod", "000", segments[1]);

        await using var agent = ServerProcess.Start("setpriv",
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet", rig.AgentDll, "--profile", profile, "--state-dir", rig.StateDirectory],
            environment: new Dictionary<string, string> { ["HOME"] = rig.Directory, ["DOTNET_CLI_HOME"] = rig.Directory });
        // Before issue 12: exit 73, "Access to the path ... is denied", and no new data until a human came.
        while (!agent.Output.Contains("starting with profile", StringComparison.Ordinal))
        {
            Assert.False(agent.HasExited, $"exit code {(agent.HasExited ? agent.ExitCode : 0)}:\n{agent.Output}");
            await Task.Delay(100, cts.Token);
        }
        Assert.Contains("cannot be read", agent.Output);
        Assert.Single(Directory.GetFiles(Path.Combine(journalDirectory, "quarantine")));
        Assert.False(File.Exists(segments[1]));
        await agent.StopAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, agent.ExitCode);
    }
}
