using Gateway.Cli.Commands.Broker;
using Gateway.Cli.Pki;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// A fleet CA with certificates, and a real mosquitto started from the configuration that <c>gatewayctl broker
/// config</c> writes, unchanged except for the port, bind address and persistence directory (which the command takes
/// as options), so the tests prove the generated file itself.
/// </summary>
public sealed class FleetBroker : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("fleet");
    private ServerProcess? _mosquitto;

    /// <param name="caTime">The CA's clock: a test that needs an expired certificate runs the CA in the past.</param>
    public FleetBroker(TimeProvider? caTime = null)
    {
        Port = FreePort.Next();
        Ca = FleetCa.Init(CaDir, "Test fleet CA", caTime ?? TimeProvider.System);
    }

    public int Port { get; }
    public FleetCa Ca { get; }
    public string Root => _dir.Path;
    public string CaDir => _dir.File("ca");
    public string CertDir => _dir.File("certs");
    public string BrokerDir => _dir.File("broker");
    public string Output => _mosquitto?.Output ?? "";
    public MosquittoClients Clients => new(Port, Path.Combine(CaDir, "ca.crt"));

    public void Issue(string name, CertificateRole role) => Ca.Issue(new IssueRequest(name, role), CertDir);

    public async Task StartAsync()
    {
        BrokerConfig.Write(Ca, new BrokerConfigRequest(BrokerDir) { Port = Port, Bind = "127.0.0.1", DataDir = _dir.File("data") });
        // stdbuf: mosquitto logs to stdout through stdio, which is fully buffered into a pipe.
        _mosquitto = ServerProcess.Start("stdbuf", ["-oL", "mosquitto", "-c", Path.Combine(BrokerDir, "mosquitto.conf")]);
        await FreePort.WaitForListenerAsync(Port, TimeSpan.FromSeconds(15), () => $"mosquitto output:\n{_mosquitto.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_mosquitto is not null) await _mosquitto.DisposeAsync();
        Ca.Dispose();
        _dir.Dispose();
    }
}
