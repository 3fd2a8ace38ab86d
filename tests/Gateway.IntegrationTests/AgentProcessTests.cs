using System.Text.Json;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.Agent;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests;

/// <summary>The published executable, run as systemd runs it: a separate process stopped with SIGTERM.</summary>
public sealed class AgentProcessTests
{
    [Fact]
    public async Task Sigterm_StopsCleanly_AndLeavesARetainedOffline()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var stack = new StackRunner();
        var profile = stack.WriteProfile("cp-proc", broker.Port);
        var dll = Path.Combine(AppContext.BaseDirectory, "gateway-agent.dll");
        await using var agent = ServerProcess.Start("dotnet", [dll, "--profile", profile, "--state-dir", Path.Combine(stack.Directory, "state")]);

        await using var watcher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "watcher" });
        await watcher.ConnectAsync(CancellationToken.None);
        await watcher.SubscribeAsync("fleet/cp-proc/#", MqttQos.AtLeastOnce);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal("online", await NextStatusAsync(watcher, cts.Token));
        await WaitForTopicAsync(watcher, "fleet/cp-proc/telemetry", cts.Token);

        Posix.SendSignal(agent.Id, Posix.SIGTERM);
        await agent.WaitForExitAsync(cts.Token);
        Assert.Equal(0, agent.ExitCode);
        Assert.Equal("offline", await NextStatusAsync(watcher, cts.Token));
        Assert.Contains("Stopped:", agent.Output);
    }

    [Fact]
    public async Task BadProfile_ExitsWithCode78AndOneMessageNamingTheKey()
    {
        await using var stack = new StackRunner();
        var profile = Path.Combine(stack.Directory, "bad.json");
        await File.WriteAllTextAsync(profile, """{ "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" }, "sources": [ { "type": "bme280", "name": "e", "address": 64 } ] }""");
        await using var agent = await RunToExitAsync("--profile", profile);
        Assert.Equal(78, agent.ExitCode);
        Assert.Contains("'sources[0].address' must be 0x76 or 0x77", agent.Output);
    }

    [Fact]
    public async Task JournalHeldByAnotherProcess_ExitsWithCode73AndOneLineSayingWhatToCheck()
    {
        await using var stack = new StackRunner();
        var profile = stack.WriteProfile("cp-locked", FreePort.Next());
        var state = Path.Combine(stack.Directory, "state");
        Directory.CreateDirectory(Path.Combine(state, "journal"));
        // What another agent on the same state directory holds (FileShare.None is an flock across processes).
        await using var held = new FileStream(Path.Combine(state, "journal", "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await using var agent = await RunToExitAsync("--profile", profile, "--state-dir", state);
        Assert.Equal(AgentHost.ExitCantCreate, agent.ExitCode);
        Assert.Contains("is in use by another process", agent.Output);
        Assert.Contains("pass another --state-dir", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output);
    }

    [Fact]
    public async Task StateDirectoryThatIsAFile_ExitsWithCode73()
    {
        await using var stack = new StackRunner();
        var profile = stack.WriteProfile("cp-nostate", FreePort.Next());
        var state = Path.Combine(stack.Directory, "not-a-directory");
        await File.WriteAllTextAsync(state, "x");
        await using var agent = await RunToExitAsync("--profile", profile, "--state-dir", state);
        Assert.Equal(AgentHost.ExitCantCreate, agent.ExitCode);
        Assert.Contains("cannot open the state directory or journal", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output);
    }

    /// <summary>Runs the published agent with <paramref name="args"/> until it exits (a start-up that must fail).</summary>
    private static async Task<ServerProcess> RunToExitAsync(params string[] args)
    {
        var agent = ServerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "gateway-agent.dll"), .. args]);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await agent.WaitForExitAsync(cts.Token);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> NextStatusAsync(MqttClient client, CancellationToken ct)
    {
        while (true)
        {
            var m = await client.Messages.ReadAsync(ct);
            if (m.Topic != "fleet/cp-proc/status") continue;
            using var doc = JsonDocument.Parse(m.Payload);
            return doc.RootElement.GetProperty("state").GetString()!;
        }
    }

    private static async Task WaitForTopicAsync(MqttClient client, string topic, CancellationToken ct)
    {
        while ((await client.Messages.ReadAsync(ct)).Topic != topic) { }
    }
}
