using Gateway.Cli.Provisioning;
using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests.Provisioning;

/// <summary>Provision refuses a profile whose broker.tls reads the certificate files from anywhere but where it installs them.</summary>
public sealed class ProvisionTlsProfileTests
{
    [Fact]
    public void TlsPathsElsewhere_AreRefusedBeforeAnythingIsSent()
    {
        using var dir = new TempDirectory();
        var profile = dir.File("p.json");
        File.WriteAllText(profile, """
            { "gatewayId": "gw-1", "site": { "name": "A", "latitude": 1, "longitude": 2 },
              "broker": { "host": "b", "tls": { "caFile": "/home/me/ca.crt", "certFile": "/etc/gateway/tls/gateway.crt", "keyFile": "/etc/gateway/tls/gateway.key" } },
              "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }
            """);
        var ex = Assert.Throws<ProvisioningException>(() => LocalInputs.Load(new ProvisionRequest("gw@127.0.0.1", profile, dir.Path, dir.Path, dir.Path)));
        Assert.Contains("\"caFile\": \"/etc/gateway/tls/ca.crt\"", ex.Message, StringComparison.Ordinal);
    }
}
