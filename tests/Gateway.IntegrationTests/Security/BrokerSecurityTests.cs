using System.Text;
using Gateway.Cli.Pki;
using Gateway.TestKit.Time;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The broker configuration from <c>gatewayctl broker config</c>, run by a real mosquitto and probed with
/// mosquitto_pub/mosquitto_sub over MQTT 5 with TLS client certificates.
/// </summary>
public sealed class BrokerSecurityTests
{
    /// <summary>MQTT 5.0 §2.4 reason code 0x87 Not authorized, as mosquitto_pub -d prints it in a PUBACK.</summary>
    private const string NotAuthorized = "RC:135";

    [Fact]
    public async Task Gateway_PublishesUnderItsOwnId_AndTheIngestReceivesIt()
    {
        await using var fleet = await StartFleetAsync();
        var ingest = new StringBuilder();
        using var sub = await fleet.Clients.SubscribedAsync("ingest-1", fleet.CertDir, "fleet/#", 1, ingest);

        var (code, output) = await fleet.Clients.PublishAsync("gw-a", fleet.CertDir, "fleet/gw-a/telemetry", "env temperature=21.5 1");

        Assert.True(code == 0 && MosquittoClients.Accepted(output), output);
        await sub.WaitForExitAsync(Timeout());
        Assert.Contains("fleet/gw-a/telemetry env temperature=21.5 1", MosquittoClients.Snapshot(ingest));
    }

    [Fact]
    public async Task Gateway_PublishingUnderAnotherId_IsRefusedNotAuthorized_AndNothingReachesTheOther()
    {
        await using var fleet = await StartFleetAsync();
        // B's subscriber is the ingest (a gateway reads only its own commands, not its own telemetry).
        var b = new StringBuilder();
        using var sub = await fleet.Clients.SubscribedAsync("ingest-1", fleet.CertDir, "fleet/gw-b/#", 1, b);

        var (_, refused) = await fleet.Clients.PublishAsync("gw-a", fleet.CertDir, "fleet/gw-b/telemetry", "forged");
        // B's own message afterwards: the subscriber exits after one message, so the one it got is the first that arrived.
        var (code, own) = await fleet.Clients.PublishAsync("gw-b", fleet.CertDir, "fleet/gw-b/telemetry", "genuine");

        Assert.Contains(NotAuthorized, refused);
        Assert.True(code == 0, own);
        await sub.WaitForExitAsync(Timeout());
        var received = MosquittoClients.Snapshot(b);
        Assert.Contains("fleet/gw-b/telemetry genuine", received);
        Assert.DoesNotContain("forged", received);
    }

    [Fact]
    public async Task CommandFromAGatewayCertificate_IsRefused_AndAGatewayReadsOnlyItsOwnCommands()
    {
        await using var fleet = await StartFleetAsync();
        var a = new StringBuilder();
        using var sub = await fleet.Clients.SubscribedAsync("gw-a", fleet.CertDir, "cmd/+/+", 1, a);

        var (_, fromGateway) = await fleet.Clients.PublishAsync("gw-b", fleet.CertDir, "cmd/gw-a/restart", "{}");
        var (c1, toB) = await fleet.Clients.PublishAsync("alice", fleet.CertDir, "cmd/gw-b/status", "for-b");
        var (c2, toA) = await fleet.Clients.PublishAsync("alice", fleet.CertDir, "cmd/gw-a/status", "for-a");

        Assert.Contains(NotAuthorized, fromGateway);
        Assert.True(c1 == 0 && MosquittoClients.Accepted(toB), toB);
        Assert.True(c2 == 0 && MosquittoClients.Accepted(toA), toA);
        await sub.WaitForExitAsync(Timeout());
        var received = MosquittoClients.Snapshot(a);
        Assert.Contains("cmd/gw-a/status for-a", received);
        Assert.DoesNotContain("for-b", received);
    }

    [Fact]
    public async Task CertificateFromAnotherCa_CannotConnect()
    {
        await using var fleet = await StartFleetAsync();
        var otherDir = Path.Combine(fleet.Root, "other");
        using (var other = FleetCa.Init(Path.Combine(otherDir, "ca"), "Rogue CA", TimeProvider.System))
            other.Issue(new IssueRequest("gw-a", CertificateRole.Gateway), otherDir);

        var (code, output) = await fleet.Clients.PublishAsync("gw-a", otherDir, "fleet/gw-a/telemetry", "x");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("PUBACK", output);
    }

    [Fact]
    public async Task ExpiredCertificate_CannotConnect()
    {
        // The CA lives 60 days in the past, issues a 10-day certificate, and the broker checks it today.
        await using var fleet = new FleetBroker(new ManualTimeProvider(DateTimeOffset.UtcNow.AddDays(-60)));
        fleet.Ca.Issue(new IssueRequest("gw-old", CertificateRole.Gateway) { Lifetime = TimeSpan.FromDays(10) }, fleet.CertDir);
        await fleet.StartAsync();

        var (code, output) = await fleet.Clients.PublishAsync("gw-old", fleet.CertDir, "fleet/gw-old/telemetry", "x");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("PUBACK", output);
        Assert.Contains("alert certificate expired", await TlsAlertAsync(fleet, "gw-old"));
    }

    [Fact]
    public async Task RevokedCertificate_CannotConnect_WhileOthersStillCan()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-stolen", CertificateRole.Gateway);
        fleet.Issue("gw-a", CertificateRole.Gateway);
        Assert.Single(fleet.Ca.Revoke("gw-stolen"));
        await fleet.StartAsync();

        var (code, output) = await fleet.Clients.PublishAsync("gw-stolen", fleet.CertDir, "fleet/gw-stolen/telemetry", "x");
        var (okCode, ok) = await fleet.Clients.PublishAsync("gw-a", fleet.CertDir, "fleet/gw-a/telemetry", "x");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("PUBACK", output);
        Assert.True(okCode == 0 && MosquittoClients.Accepted(ok), ok);
        Assert.Contains("alert certificate revoked", await TlsAlertAsync(fleet, "gw-stolen"));
    }

    [Fact]
    public async Task PlainTcp_IsNotServed()
    {
        await using var fleet = await StartFleetAsync();
        var conf = await File.ReadAllLinesAsync(Path.Combine(fleet.BrokerDir, "mosquitto.conf"));
        Assert.Single(conf, l => l.StartsWith("listener ", StringComparison.Ordinal));
        Assert.DoesNotContain(conf, l => l.StartsWith("port ", StringComparison.Ordinal));

        var (code, output) = await MosquittoClients.RunAsync("mosquitto_pub",
            ["-h", "127.0.0.1", "-p", fleet.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "-d", "-q", "1", "-t", "fleet/x/telemetry", "-m", "plain"],
            TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("received CONNACK", output);
    }

    [Fact]
    public async Task ClientWithoutCertificate_CannotConnect()
    {
        await using var fleet = await StartFleetAsync();
        var (code, output) = await MosquittoClients.RunAsync("mosquitto_pub",
            ["-h", "127.0.0.1", "-p", fleet.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "--cafile", Path.Combine(fleet.CaDir, "ca.crt"),
             "-d", "-q", "1", "-t", "fleet/x/telemetry", "-m", "anonymous"], TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("received CONNACK", output);
    }

    private static async Task<FleetBroker> StartFleetAsync()
    {
        var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("gw-b", CertificateRole.Gateway);
        fleet.Issue("ingest-1", CertificateRole.Ingest);
        fleet.Issue("alice", CertificateRole.Operator);
        await fleet.StartAsync();
        return fleet;
    }

    /// <summary>
    /// The TLS alert the broker sends for a client certificate, read with openssl s_client over TLS 1.2 (where the
    /// alert arrives during the handshake; RFC 5246 §7.2.2: certificate_revoked 44, certificate_expired 45).
    /// mosquitto_pub only reports "Protocol error", so this proves the refusal is for the reason the test claims.
    /// </summary>
    private static async Task<string> TlsAlertAsync(FleetBroker fleet, string name)
    {
        var (_, output) = await MosquittoClients.RunAsync("openssl",
            ["s_client", "-connect", $"127.0.0.1:{fleet.Port}", "-tls1_2", "-brief", "-CAfile", Path.Combine(fleet.CaDir, "ca.crt"),
             "-cert", Path.Combine(fleet.CertDir, name + ".crt"), "-key", Path.Combine(fleet.CertDir, name + ".key")],
            TimeSpan.FromSeconds(20), stdin: "");
        return output;
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
}
