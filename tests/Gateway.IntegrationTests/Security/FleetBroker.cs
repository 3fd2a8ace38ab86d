using System.Globalization;
using Gateway.Cli.Commands.Broker;
using Gateway.Cli.Pki;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
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
    private string _earlierOutput = "";

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
    public string Output => _earlierOutput + (_mosquitto?.Output ?? "");
    public MosquittoClients Clients => new(Port, Path.Combine(CaDir, "ca.crt"));

    public void Issue(string name, CertificateRole role) => Ca.Issue(new IssueRequest(name, role), CertDir);

    /// <summary>
    /// <c>gatewayctl cmd COMMAND...</c> against this broker with the certificate <paramref name="certificate"/>, using the
    /// shared connection flags (-h, -p, --cafile, --cert, --key) and waiting at most <paramref name="timeoutSeconds"/> (-W).
    /// </summary>
    public (int Code, string Output, string Error) Cmd(string certificate, int timeoutSeconds, params string[] command)
    {
        var (code, output, error) = GatewayCtlRunner.Run(["cmd", .. command, "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "--cafile", Path.Combine(CaDir, "ca.crt"), "--cert", Path.Combine(CertDir, $"{certificate}.crt"),
            "--key", Path.Combine(CertDir, $"{certificate}.key"), "-W", timeoutSeconds.ToString(CultureInfo.InvariantCulture)]);
        return (code, output.Trim(), error);
    }

    /// <summary>The broker's persistence directory (mosquitto.db).</summary>
    public string DataDir => _dir.File("data");

    public async Task StartAsync()
    {
        BrokerConfig.Write(Ca, new BrokerConfigRequest(BrokerDir) { Port = Port, Bind = "127.0.0.1", DataDir = DataDir });
        await LaunchAsync();
    }

    /// <summary>SIGKILL: the broker gets no chance to save anything.</summary>
    public Task KillAsync() => _mosquitto!.KillAsync();

    /// <summary>Starts the broker again with the same configuration and data directory (after <see cref="KillAsync"/>).</summary>
    public async Task RestartAsync()
    {
        var previous = _mosquitto!;
        _earlierOutput += previous.Output;
        await previous.DisposeAsync();
        await LaunchAsync();
    }

    /// <summary>Our MQTT client with the named certificate of <see cref="CertDir"/>, for this broker.</summary>
    public MqttClientOptions ClientOptions(string certificate, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null,
        bool cleanSession = true, int maxPacketSize = 1 << 20, int inboundCapacity = 1000) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        // 3.1.1 servers need accept only 23 characters [MQTT-3.1.3-5].
        ClientId = clientId ?? $"{certificate}-{Guid.NewGuid():N}"[..Math.Min(23, certificate.Length + 33)],
        ProtocolVersion = version,
        CleanSession = cleanSession,
        MaxPacketSize = maxPacketSize,
        InboundCapacity = inboundCapacity,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        Tls = new MqttTlsOptions
        {
            CaFile = Path.Combine(CaDir, "ca.crt"),
            CertificateFile = Path.Combine(CertDir, $"{certificate}.crt"),
            KeyFile = Path.Combine(CertDir, $"{certificate}.key"),
        },
    };

    private async Task LaunchAsync()
    {
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
