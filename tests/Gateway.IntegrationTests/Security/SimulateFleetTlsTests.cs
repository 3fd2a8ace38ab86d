using System.Globalization;
using Gateway.Cli;
using Gateway.Cli.Pki;
using Gateway.Mqtt;

namespace Gateway.IntegrationTests.Security;

/// <summary><c>gatewayctl simulate fleet</c> against the TLS broker of <c>broker config</c>: each simulated gateway with its own certificate.</summary>
public sealed class SimulateFleetTlsTests
{
    [Fact]
    public async Task SimulateFleet_IssuesEachGatewayItsCertificate_AndEachPublishesUnderItsOwnId()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("ingest-hq", CertificateRole.Ingest);
        await fleet.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var ingest = new MqttClient(fleet.ClientOptions("ingest-hq"));
        await ingest.ConnectAsync(cts.Token);
        await ingest.SubscribeAsync("fleet/+/telemetry", MqttQos.AtLeastOnce, cts.Token);
        var certs = Path.Combine(fleet.Root, "sim-certs");
        string[] args = ["simulate", "fleet", "-h", "127.0.0.1", "-p", fleet.Port.ToString(CultureInfo.InvariantCulture), "--gateways", "3", "--burst", "2",
            "--cafile", Path.Combine(fleet.CaDir, "ca.crt"), "--certs", certs, "--ca", fleet.CaDir];

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Task.Run(() => GatewayCtl.Run(args, output, error));

        Assert.True(code == 0, $"{output}\n{error}");
        var seen = new HashSet<string>();
        while (seen.Count < 3) seen.Add((await ingest.Messages.ReadAsync(cts.Token)).Topic);
        Assert.Equal(["fleet/sim-0001/telemetry", "fleet/sim-0002/telemetry", "fleet/sim-0003/telemetry"], seen.Order());
        Assert.Equal(3, CaIndex.Load(fleet.CaDir).Certificates.Count(c => c.Role == CertificateRole.Gateway && c.Name.StartsWith("sim-", StringComparison.Ordinal)));

        // A second run reuses the certificates; without --ca a missing one is named.
        using var again = new StringWriter();
        Assert.Equal(0, await Task.Run(() => GatewayCtl.Run(args, again, error)));
        Assert.Equal(3, CaIndex.Load(fleet.CaDir).Certificates.Count(c => c.Name.StartsWith("sim-", StringComparison.Ordinal)));
        using var missing = new StringWriter();
        string[] four = ["simulate", "fleet", "-h", "127.0.0.1", "-p", fleet.Port.ToString(CultureInfo.InvariantCulture), "--gateways", "4", "--burst", "2",
            "--cafile", Path.Combine(fleet.CaDir, "ca.crt"), "--certs", certs];
        Assert.Equal(2, GatewayCtl.Run(four, again, missing));
        Assert.Contains("missing from", missing.ToString(), StringComparison.Ordinal);
    }
}
