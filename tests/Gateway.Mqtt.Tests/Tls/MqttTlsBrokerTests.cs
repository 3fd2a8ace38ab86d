using Gateway.TestKit.Servers;
using Gateway.TestKit.Tls;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.Tls;

/// <summary>TLS and mutual TLS against a real mosquitto; wrong CA, expired certificate and wrong name are refused clearly.</summary>
public sealed class MqttTlsBrokerTests
{
    private static Task<MosquittoServer> StartTls(TestCertificates certs, bool requireClientCert) => MosquittoServer.StartAsync(
        $"cafile {certs.CaFile}", $"certfile {certs.ServerCertFile}", $"keyfile {certs.ServerKeyFile}",
        $"require_certificate {(requireClientCert ? "true" : "false")}");

    private static MqttClientOptions Tls(MosquittoServer server, MqttTlsOptions tls, string host = "127.0.0.1") => new()
    {
        Host = host, Port = server.Port, ClientId = "tls-client", Tls = tls, ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task MutualTls_PinnedCaAndClientCertificate_RoundTrip()
    {
        using var cts = Timeout();
        using var certs = new TestCertificates();
        await using var server = await StartTls(certs, requireClientCert: true);
        var tls = new MqttTlsOptions { CaFile = certs.CaFile, CertificateFile = certs.ClientCertFile, KeyFile = certs.ClientKeyFile };
        await using var client = await ConnectedAsync(Tls(server, tls), cts.Token);
        await client.SubscribeAsync("tls/#", MqttQos.AtLeastOnce, cts.Token);
        await client.PublishAsync("tls/a", Bytes("secret"), MqttQos.AtLeastOnce, false, cts.Token);
        Assert.Equal("secret", Text(await client.Messages.ReadAsync(cts.Token)));
    }

    [Fact]
    public async Task Tls_ByHostName_WithoutClientCertificate_Connects()
    {
        using var cts = Timeout();
        using var certs = new TestCertificates();
        await using var server = await StartTls(certs, requireClientCert: false);
        await using var client = await ConnectedAsync(Tls(server, new MqttTlsOptions { CaFile = certs.CaFile }, host: "localhost"), cts.Token);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Tls_ServerSignedByAnotherCa_RefusedNamingTheCa()
    {
        using var cts = Timeout();
        using var certs = new TestCertificates();
        using var other = new TestCertificates("other");
        await using var server = await StartTls(certs, requireClientCert: false);
        await using var client = new MqttClient(Tls(server, new MqttTlsOptions { CaFile = other.CaFile }));
        var ex = await Assert.ThrowsAsync<MqttConnectionException>(() => client.ConnectAsync(cts.Token));
        Assert.Contains("not signed by the CA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ExpiredServerCertificate_RefusedAsExpired()
    {
        using var cts = Timeout();
        using var certs = new TestCertificates(expiredServer: true);
        await using var server = await StartTls(certs, requireClientCert: false);
        await using var client = new MqttClient(Tls(server, new MqttTlsOptions { CaFile = certs.CaFile }));
        var ex = await Assert.ThrowsAsync<MqttConnectionException>(() => client.ConnectAsync(cts.Token));
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_NameNotInCertificate_Refused_UnlessHostCheckSkipped()
    {
        using var cts = Timeout();
        using var certs = new TestCertificates();
        await using var server = await StartTls(certs, requireClientCert: false);
        await using var wrong = new MqttClient(Tls(server, new MqttTlsOptions { CaFile = certs.CaFile, ServerName = "broker.example" }));
        var ex = await Assert.ThrowsAsync<MqttConnectionException>(() => wrong.ConnectAsync(cts.Token));
        Assert.Contains("not valid for the name 'broker.example'", ex.Message, StringComparison.Ordinal);
        await using var skipping = await ConnectedAsync(Tls(server, new MqttTlsOptions { CaFile = certs.CaFile, ServerName = "broker.example", SkipHostNameCheck = true }), cts.Token);
        Assert.True(skipping.IsConnected);
    }
}
