using System.Text;
using Gateway.Agent.Profiles;
using Gateway.TestKit.Data;

namespace Gateway.Agent.Tests.Profiles;

/// <summary>The <c>broker.tls</c> and <c>broker.commands</c> settings.</summary>
public sealed class BrokerTlsProfileTests
{
    private static GatewayProfile Parse(string broker) => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        { "gatewayId": "cp-1", "site": { "name": "A", "latitude": 8.48, "longitude": -13.23 },
          "broker": {{broker}}, "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }
        """), "p.json");

    [Fact]
    public void NoTls_PlainTcpOn1883_CommandsOn()
    {
        var b = Parse("""{ "host": "127.0.0.1" }""").Broker;
        Assert.Null(b.Tls);
        Assert.Equal(1883, b.Port);
        Assert.True(b.Commands);
    }

    [Fact]
    public void Tls_DefaultsTo8883_AndMapsToTheClientOptions()
    {
        var b = Parse("""
            { "host": "10.0.0.5", "commands": false, "tls": { "caFile": "/etc/gateway/tls/ca.crt", "certFile": "/etc/gateway/tls/gateway.crt",
              "keyFile": "/etc/gateway/tls/gateway.key", "serverName": "broker.example.org" } }
            """).Broker;
        Assert.Equal(8883, b.Port);
        Assert.False(b.Commands);
        var mqtt = b.Tls!.ToMqtt();
        Assert.Equal((BrokerTlsProfile.ProvisionedCaFile, BrokerTlsProfile.ProvisionedCertFile, BrokerTlsProfile.ProvisionedKeyFile, "broker.example.org"),
            (mqtt.CaFile, mqtt.CertificateFile, mqtt.KeyFile, mqtt.ServerName));
        Assert.False(mqtt.SkipHostNameCheck);
    }

    [Theory]
    [InlineData("""{ "certFile": "/a.crt", "keyFile": "/a.key" }""", "broker.tls.caFile", "is required (gatewayctl provision installs it at /etc/gateway/tls/ca.crt)")]
    [InlineData("""{ "caFile": "ca.crt", "certFile": "/a.crt", "keyFile": "/a.key" }""", "broker.tls.caFile", "must be an absolute path")]
    [InlineData("""{ "caFile": "/ca.crt", "certFile": "/a.crt" }""", "broker.tls.keyFile", "is required")]
    [InlineData("""{ "caFile": "/ca.crt", "certFile": "/a.crt", "keyFile": "/a.key", "password": "x" }""", "broker.tls.password", "not a known setting")]
    [InlineData("""{ "caFile": 5, "certFile": "/a.crt", "keyFile": "/a.key" }""", "broker.tls.caFile", "must be a string")]
    [InlineData("true", "broker.tls", "must be a JSON object")]
    public void BadTls_NamesTheKey(string tls, string key, string problem)
    {
        var ex = Assert.Throws<ProfileException>(() => Parse($$"""{ "host": "h", "tls": {{tls}} }"""));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceProfile_PointsAtTheProvisionedFiles()
    {
        var b = ProfileLoader.Load(RepositoryRoot.FileAt("firmware-config/profiles/reference-pi.json")).Broker;
        Assert.Equal(8883, b.Port);
        Assert.Equal(new BrokerTlsProfile(BrokerTlsProfile.ProvisionedCaFile, BrokerTlsProfile.ProvisionedCertFile, BrokerTlsProfile.ProvisionedKeyFile, null), b.Tls);
    }
}
