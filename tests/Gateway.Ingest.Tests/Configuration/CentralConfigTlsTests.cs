using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.TestKit.Tls;

namespace Gateway.Ingest.Tests.Configuration;

/// <summary>
/// <c>broker.tls</c> and the TLS flags: the same keys as the agent's profile, read and checked at start, so a bad file
/// stops the service with one line naming the key (or flag), the file and what to do.
/// </summary>
public sealed class CentralConfigTlsTests
{
    [Fact]
    public void Tls_RelativePathsResolveAgainstTheConfigFile_AndThePortDefaultsTo8883()
    {
        using var certs = new TestCertificates();
        var c = Parse(certs, """{ "broker": { "tls": { "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "client.key", "serverName": "broker-hq" } } }""");
        Assert.Equal(8883, c.Broker.Port);
        Assert.Equal(new BrokerTlsConfig(certs.CaFile, certs.ClientCertFile, certs.ClientKeyFile, "broker-hq"), c.Broker.Tls);
        var mqtt = c.Broker.Tls!.ToMqtt();
        Assert.Equal((certs.CaFile, certs.ClientCertFile, certs.ClientKeyFile, "broker-hq"), (mqtt.CaFile, mqtt.CertificateFile, mqtt.KeyFile, mqtt.ServerName));
    }

    [Fact]
    public void NoTls_IsPlainTcpOn1883() => Assert.Null(CentralConfigLoader.Default().Broker.Tls);

    [Theory]
    [InlineData("""{ "caFile": "ca.pem", "certFile": "client.pem" }""", "'broker.tls.keyFile' is required with broker.tls")]
    [InlineData("""{ "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "nope.key" }""", "'broker.tls.keyFile' names DIR/nope.key, which does not exist; give the NAME.key")]
    [InlineData("""{ "caFile": "client.key", "certFile": "client.pem", "keyFile": "client.key" }""", "'broker.tls.caFile' names DIR/client.key, which holds no PEM certificate")]
    [InlineData("""{ "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "server.key" }""", "'broker.tls.keyFile' names DIR/server.key, which is not the key of the certificate in DIR/client.pem")]
    [InlineData("""{ "caFile": "ca.pem", "certFile": "client.key", "keyFile": "client.key" }""", "'broker.tls.certFile' names DIR/client.key, which holds no PEM certificate")]
    [InlineData("""{ "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "client.key", "cafile": "x" }""", "'broker.tls.cafile' is not a known setting here")]
    public void BadTls_StopsWithOneLineNamingTheKeyAndTheFile(string tls, string expected)
    {
        using var certs = new TestCertificates();
        var ex = Assert.Throws<ConfigException>(() => Parse(certs, $$"""{ "broker": { "tls": {{tls}} } }"""));
        Assert.StartsWith($"config test.json: {expected.Replace("DIR", certs.Directory, StringComparison.Ordinal)}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ExpiredIngestCertificate_StopsAtStart_NamingTheFile()
    {
        using var certs = new TestCertificates(expiredClient: true);
        var ex = Assert.Throws<ConfigException>(() => Parse(certs, """{ "broker": { "tls": { "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "client.key" } } }"""));
        Assert.StartsWith($"config test.json: 'broker.tls.certFile' names {certs.ClientCertFile}, whose certificate (CN=client) expired at", ex.Message, StringComparison.Ordinal);
        Assert.Contains("issue a new one", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_TurnTlsOn_MoveThePortTo8883_AndOverrideTheFile()
    {
        using var certs = new TestCertificates();
        var c = IngestOptions.Parse(["--cafile", certs.CaFile, "--cert", certs.ClientCertFile, "--key", certs.ClientKeyFile, "--tls-server-name", "broker-hq"], _ => null, out _)!.Resolve();
        Assert.Equal(new BrokerTlsConfig(certs.CaFile, certs.ClientCertFile, certs.ClientKeyFile, "broker-hq"), c.Broker.Tls);
        Assert.Equal(8883, c.Broker.Port);

        var env = new Dictionary<string, string> { ["INGEST_CAFILE"] = certs.CaFile, ["INGEST_CERT"] = certs.ClientCertFile, ["INGEST_KEY"] = certs.ClientKeyFile };
        var e = IngestOptions.Parse(["--broker", "b:9883"], k => env.GetValueOrDefault(k), out _)!.Resolve();
        Assert.Equal((9883, certs.ClientKeyFile), (e.Broker.Port, e.Broker.Tls!.KeyFile));
    }

    [Fact]
    public void Flags_BadKey_NamesTheFlag()
    {
        using var certs = new TestCertificates();
        var o = IngestOptions.Parse(["--cafile", certs.CaFile, "--cert", certs.ClientCertFile, "--key", certs.ServerKeyFile], _ => null, out _)!;
        var ex = Assert.Throws<ConfigException>(o.Resolve);
        Assert.StartsWith($"--key names {certs.ServerKeyFile}, which is not the key of the certificate in {certs.ClientCertFile}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_Incomplete_SayWhichAreMissing()
    {
        using var certs = new TestCertificates();
        var ex = Assert.Throws<ConfigException>(IngestOptions.Parse(["--cafile", certs.CaFile], _ => null, out _)!.Resolve);
        Assert.Contains("--cafile, --cert and --key go together (mutual TLS with the fleet CA); missing --cert, --key", ex.Message, StringComparison.Ordinal);
    }

    private static CentralConfig Parse(TestCertificates certs, string json) =>
        CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "test.json", certs.Directory);
}
