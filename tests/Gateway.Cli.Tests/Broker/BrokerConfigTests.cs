using System.Net;
using Gateway.Cli.Commands.Broker;
using Gateway.Cli.Pki;
using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests.Broker;

/// <summary>
/// <c>gatewayctl broker config</c>: the durability and size settings (issue 12 items 2 and 8; their behaviour is proven
/// against a real mosquitto in IntegrationTests' BrokerDurabilityTests) and the use of a named broker certificate.
/// </summary>
public sealed class BrokerConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new("broker-config");

    [Fact]
    public void Conf_SavesOnEveryChange_QueuesTheFleetsBacklog_AndLimitsMessagesTo1MiB()
    {
        var conf = BrokerConfig.RenderConf(new BrokerConfigRequest("/out") { Gateways = 100, OutageHours = 4 }, "/etc/mosquitto/fleet");
        var lines = conf.Split('\n').Where(l => !l.StartsWith('#')).ToList();
        foreach (var expected in new[] { "persistence true", "autosave_on_changes true", "autosave_interval 1", "max_queued_messages 1440000",
                     "max_queued_bytes 1474560000", "max_inflight_messages 1000", "message_size_limit 1048576" })
            Assert.Contains(expected, lines);
    }

    [Fact]
    public void Conf_WithAutosaveSeconds_SavesOnATimerAndSaysWhatAKillLoses()
    {
        var conf = BrokerConfig.RenderConf(new BrokerConfigRequest("/out") { AutosaveSeconds = 5, Gateways = 10, OutageHours = 0.5 }, "/c");
        Assert.Contains("autosave_on_changes false\nautosave_interval 5\n", conf, StringComparison.Ordinal);
        Assert.Contains("loses what was acknowledged since the last save", conf, StringComparison.Ordinal);
        Assert.Contains("max_queued_messages 18000\n", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedBrokerCertificate_IsUsed_InsteadOfIssuingOne()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        ca.Issue(new IssueRequest("broker-hq", CertificateRole.Broker) { DnsNames = ["mqtt.hq.example"], Addresses = [IPAddress.Parse("10.0.0.5")] }, _dir.File("certs"));

        BrokerConfig.Write(ca, new BrokerConfigRequest(_dir.File("out"))
        {
            Hosts = ["mqtt.hq.example"], BrokerCertificate = _dir.File("certs/broker-hq.crt"), User = "root", DataDir = _dir.File("data"),
        });

        Assert.Equal(File.ReadAllText(_dir.File("certs/broker-hq.crt")), File.ReadAllText(_dir.File("out/broker.crt")));
        Assert.Equal(File.ReadAllText(_dir.File("certs/broker-hq.key")), File.ReadAllText(_dir.File("out/broker.key")));
        Assert.Equal(PemFiles.PrivateMode, File.GetUnixFileMode(_dir.File("out/broker.key")));
        Assert.DoesNotContain(CaIndex.Load(ca.Directory).Certificates, c => c.Name == BrokerConfig.BrokerCertificateName);
    }

    [Theory]
    [InlineData("other-host.example", "does not list other-host.example, which --host names")]
    [InlineData("gateway", "is not a server certificate")]
    [InlineData("wrong-key", "is not the key of the certificate in")]
    [InlineData("other-ca", "not by this CA")]
    public void NamedBrokerCertificate_ThatCannotServe_IsRefusedSayingWhy(string problem, string expected)
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        using var other = FleetCa.Init(_dir.File("other-ca"), "Other", TimeProvider.System);
        ca.Issue(new IssueRequest("broker-hq", CertificateRole.Broker) { DnsNames = ["mqtt.hq.example"] }, _dir.File("certs"));
        ca.Issue(new IssueRequest("gw-1", CertificateRole.Gateway), _dir.File("certs"));
        other.Issue(new IssueRequest("broker-x", CertificateRole.Broker) { DnsNames = ["mqtt.hq.example"] }, _dir.File("certs"));
        var (cert, key, host) = problem switch
        {
            "gateway" => ("gw-1.crt", "gw-1.key", "mqtt.hq.example"),
            "wrong-key" => ("broker-hq.crt", "gw-1.key", "mqtt.hq.example"),
            "other-ca" => ("broker-x.crt", "broker-x.key", "mqtt.hq.example"),
            _ => ("broker-hq.crt", "broker-hq.key", problem),
        };

        var ex = Assert.Throws<PkiException>(() => BrokerConfig.Write(ca, new BrokerConfigRequest(_dir.File("out"))
        {
            Hosts = [host], BrokerCertificate = _dir.File($"certs/{cert}"), BrokerKey = _dir.File($"certs/{key}"), User = "root", DataDir = _dir.File("data"),
        }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
