using System.Globalization;
using System.Text;
using Gateway.Agent;
using Gateway.Cli;
using Gateway.Cli.Pki;
using Gateway.IntegrationTests.Central.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The secure topology end to end (issue 11 item 7), every connection authenticated: a real agent with its gateway
/// certificate, the mosquitto of <c>gatewayctl broker config</c> (TLS only, the generated ACL), the central service
/// with its ingest certificate, InfluxDB with <c>auth-enabled</c> and a write-only user, an operator with an operator
/// certificate using <c>gatewayctl cmd</c>, and gateway certificates trying to command.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecureEndToEndTests
{
    private const string Database = "fleet";

    [Fact]
    public async Task SecureTopology_ReadingsStored_AlertsReachOperators_OperatorCommandsAnswered_GatewayCommandsRefused()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("gw-b", CertificateRole.Gateway);
        fleet.Issue("ingest-hq", CertificateRole.Ingest);
        fleet.Issue("alice", CertificateRole.Operator);
        await fleet.StartAsync();
        await using var influx = await InfluxServer.StartAsync(auth: true);
        await influx.CreateDatabaseAsync(Database);
        await influx.CreateUserAsync("ingest", "writer-password", "WRITE", Database);
        await influx.CreateUserAsync("dashboard", "reader-password", "READ", Database);
        await using var central = new CentralRunner();
        using var secrets = new TempDirectory("secrets");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));

        // An operator watches the alerts before anything happens.
        await using var alice = new MqttClient(fleet.ClientOptions("alice"));
        await alice.ConnectAsync(stop.Token);
        await alice.SubscribeAsync("fleet/alerts", MqttQos.AtLeastOnce, stop.Token);

        // The central service: the ingest certificate to the TLS broker (its default shared subscription), the
        // write-only InfluxDB user, alerts on fleet/alerts.
        var services = await central.StartAsync(new
        {
            broker = new
            {
                host = "127.0.0.1", port = fleet.Port, clientId = "ingest-hq-1",
                tls = new { caFile = Path.Combine(fleet.CaDir, "ca.crt"), certFile = Path.Combine(fleet.CertDir, "ingest-hq.crt"), keyFile = Path.Combine(fleet.CertDir, "ingest-hq.key") },
            },
            store = new { url = influx.Url.ToString(), database = Database, username = "ingest", passwordFile = secrets.Secret("writer", "writer-password\n"), batchMaxDelayMs = 100 },
            history = new { username = "dashboard", passwordFile = secrets.Secret("reader", "reader-password\n") },
            alerts = new { enabled = true, enclosureTemperature = new { raiseAboveC = 60, clearBelowC = 55, holdSeconds = 0, sensors = new[] { "enclosure" } } },
            stateDirectory = Path.Combine(central.Directory, "state"),
        });

        // A real agent, gateway gw-a, with its own certificate.
        var ready = new TaskCompletionSource<AgentWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = Task.Run(() => AgentHost.RunAsync(["--profile", AgentCommandTests.WriteProfile(fleet, "gw-a"), "--state-dir", Path.Combine(fleet.Root, "state")],
            stop.Token, w => ready.TrySetResult(w)));
        var worker = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.Client.WaitConnectedAsync(stop.Token);

        // 1. Its readings reach the authenticated store through the TLS broker and the TLS ingest.
        var rows = await influx.WaitForAsync(Database, "SELECT seq FROM counter WHERE gateway::tag = 'gw-a'", r => r.Count >= 3, TimeSpan.FromSeconds(60));
        Assert.True(rows.Count >= 3);
        Assert.True(services.Ingest!.Client.IsConnected);

        // 2. An alert the ingest raises reaches the operator's subscription: gateway gw-b reports a hot enclosure.
        await using (var gwB = new MqttClient(fleet.ClientOptions("gw-b")))
        {
            await gwB.ConnectAsync(stop.Token);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await gwB.PublishAsync("fleet/gw-b/telemetry", Encoding.UTF8.GetBytes($"env,sensor=enclosure temperature=71.5 {now}"), MqttQos.AtLeastOnce, false, stop.Token);
        }
        var alert = await alice.Messages.ReadAsync(stop.Token);
        var alertText = Encoding.UTF8.GetString(alert.Payload.Span);
        Assert.Equal("fleet/alerts", alert.Topic);
        Assert.Contains("gw-b", alertText, StringComparison.Ordinal);
        Assert.Contains("enclosure", alertText, StringComparison.Ordinal);

        // 3. An operator's command is executed and answered (the agent subscribes right after connecting: ask until it does).
        var (code, output, error) = (0, "", "");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (code, output, error) = fleet.Cmd("alice", 3, "gw-a", "status");
            if (code != 2) break;
        }
        Assert.True(code == 0, $"{output}\n{error}");
        Assert.Contains("\"gateway\":\"gw-a\",\"command\":\"status\",\"ok\":true", output, StringComparison.Ordinal);

        // 4. A gateway's command to itself or to another gateway is refused by the broker and never executed.
        (code, output, error) = fleet.Cmd("gw-a", 10, "gw-a", "restart");
        Assert.True(code == 1 && output.Length == 0 && error.Contains("not authorized", StringComparison.Ordinal), $"{code}: {output}\n{error}");
        (code, output, error) = fleet.Cmd("gw-b", 10, "gw-a", "restart");
        Assert.True(code == 1 && output.Length == 0 && error.Contains("not authorized", StringComparison.Ordinal), $"{code}: {output}\n{error}");
        // Never executed: the agent is still running (restart would have stopped it) and still answers the operator.
        (code, output, error) = fleet.Cmd("alice", 10, "gw-a", "status");
        Assert.True(code == 0, $"{output}\n{error}");
        Assert.False(agent.IsCompleted);

        await stop.CancelAsync();
        Assert.Equal(0, await agent.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
