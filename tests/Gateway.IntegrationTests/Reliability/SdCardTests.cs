using Gateway.Agent;
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
    [RootFact]
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
}
