using Gateway.Cli.Pki;
using Gateway.IntegrationTests.Support;
using Gateway.Ingest;
using Gateway.Mqtt;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// gateway-ingest over mutual TLS to the mosquitto of <c>gatewayctl broker config</c>, with an ingest certificate of
/// the fleet CA (issue 11 item 1), and its refusal to start on a bad TLS file.
/// </summary>
public sealed class IngestTlsTests
{
    [Fact]
    public async Task Ingest_WithItsCertificate_StoresWhatAGatewayPublishes()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("ingest-hq", CertificateRole.Ingest);
        await fleet.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync("tls");
        await using var stack = new StackRunner();

        var ingest = await stack.StartIngestAsync(fleet.Port, influx.Url, "tls", "ingest-hq-1", extraArgs: TlsArgs(fleet, "ingest-hq"));
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (code, output) = await fleet.Clients.PublishAsync("gw-a", fleet.CertDir, "fleet/gw-a/telemetry", $"env,sensor=enclosure temperature=21.5 {stamp}");

        Assert.True(code == 0 && MosquittoClients.Accepted(output), output);
        var rows = await influx.WaitForAsync("tls", "SELECT temperature FROM env WHERE gateway::tag = 'gw-a'", r => r.Count == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(21.5, rows[0]["temperature"].GetDouble());
        Assert.True(ingest.Client.IsConnected);
    }

    [Theory]
    [InlineData("--key", "missing.key", "--key names DIR/missing.key, which does not exist; give the NAME.key written beside the certificate")]
    [InlineData("--key", "gw-a.key", "--key names DIR/gw-a.key, which is not the key of the certificate in DIR/ingest-hq.crt")]
    [InlineData("--cafile", "ingest-hq.key", "--cafile names DIR/ingest-hq.key, which holds no PEM certificate")]
    public async Task Ingest_BadTlsFile_ExitsWith78AndOneLineNamingTheFile(string flag, string file, string expected)
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("ingest-hq", CertificateRole.Ingest);
        var args = TlsArgs(fleet, "ingest-hq").ToList();
        args[args.IndexOf(flag) + 1] = Path.Combine(fleet.CertDir, file);

        await using var ingest = ServerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "gateway-ingest.dll"), "--broker", $"127.0.0.1:{fleet.Port}", .. args]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ingest.WaitForExitAsync(cts.Token);

        Assert.Equal(78, ingest.ExitCode);
        var line = Assert.Single(ingest.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"gateway-ingest: {expected.Replace("DIR", fleet.CertDir, StringComparison.Ordinal)}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedIngestCertificate_AtRunTime_IsLoggedOnceAndCounted()
    {
        // The files are fine at start (nothing local can tell a revoked certificate); the broker's CRL refuses it.
        await using var fleet = new FleetBroker();
        fleet.Issue("ingest-hq", CertificateRole.Ingest);
        Assert.Single(fleet.Ca.Revoke("ingest-hq"));
        await fleet.StartAsync();
        var logger = new RecordingLogger();
        var options = fleet.ClientOptions("ingest-hq", MqttProtocolVersion.V311);
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = options.Host, Port = options.Port, ClientId = options.ClientId, Tls = options.Tls,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        });
        var refusals = new BrokerRefusals(client, options.Tls!.CertificateFile, logger);

        client.Start();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (refusals.Count < 3)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{refusals.Count} refusals counted; broker:\n{fleet.Output}");
            await Task.Delay(50);
        }

        var line = Assert.Single(logger.Lines);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, line.Level);
        Assert.Contains($"refuses this service's certificate {options.Tls.CertificateFile}: it is revoked", line.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    /// <summary>The ingest's TLS flags for a certificate issued into the fleet's certificate directory.</summary>
    public static string[] TlsArgs(FleetBroker fleet, string name) =>
        ["--cafile", Path.Combine(fleet.CaDir, "ca.crt"), "--cert", Path.Combine(fleet.CertDir, $"{name}.crt"), "--key", Path.Combine(fleet.CertDir, $"{name}.key")];
}
