using System.CommandLine;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary>
/// The one set of connection flags of every gatewayctl command that talks to a broker (pub, sub, cmd, simulate fleet),
/// with mosquitto_pub/mosquitto_sub's names and defaults: -h -p -i -k -V -u -P --cafile --cert --key --insecure
/// --tls-server-name -d. pub and sub add the message flags -q and -M.
/// </summary>
internal sealed class ConnectionOptions(string defaultVersion = "mqttv311")
{
    public Option<string> Host { get; } = new("--host", "-h") { Description = "broker host (default localhost)", DefaultValueFactory = _ => "localhost" };
    public Option<int?> Port { get; } = new("--port", "-p") { Description = "broker port (default 1883, 8883 with --cafile)" };
    public Option<string?> ClientId { get; } = new("--id", "-i") { Description = "client id (default gatewayctl-PID)" };
    public Option<int> KeepAlive { get; } = new("--keepalive", "-k") { Description = "keep alive in seconds (default 60)", DefaultValueFactory = _ => 60 };
    public Option<string> Version { get; } = new("--protocol-version", "-V") { Description = $"mqttv5 or mqttv311 (default {defaultVersion})", DefaultValueFactory = _ => defaultVersion };
    public Option<string?> Username { get; } = new("--username", "-u") { Description = "user name" };
    public Option<string?> Password { get; } = new("--pw", "-P") { Description = "password" };
    public Option<FileInfo?> CaFile { get; } = new("--cafile") { Description = "PEM CA certificate(s) the broker's certificate must chain to (turns TLS on)" };
    public Option<FileInfo?> Cert { get; } = new("--cert") { Description = "PEM client certificate for mutual TLS (an operator's for cmd)" };
    public Option<FileInfo?> Key { get; } = new("--key") { Description = "PEM private key of --cert" };
    public Option<bool> Insecure { get; } = new("--insecure") { Description = "do not check the broker certificate's host name (the chain is still checked)" };
    public Option<string?> TlsServerName { get; } = new("--tls-server-name") { Description = "SNI and expected certificate name (default the host)" };
    public Option<bool> Debug { get; } = new("--debug", "-d") { Description = "print connection progress on stderr" };

    public Option<int> Qos { get; } = new("--qos", "-q") { Description = "QoS 0, 1 or 2 (default 0)", DefaultValueFactory = _ => 0 };

    // mosquitto_pub's -M: QoS 1/2 messages in flight at once (its default is 20, mosquitto's default Receive Maximum);
    // with 5.0 the broker's Receive Maximum lowers it [MQTT-4.9.0-1].
    public Option<int> MaxInflight { get; } = new("--max-inflight", "-M") { Description = "QoS 1/2 messages in flight at once (default 20; 5.0: at most the broker's Receive Maximum)", DefaultValueFactory = _ => 20 };

    private bool _messageFlags;

    /// <summary>Adds the connection flags, and with <paramref name="messageFlags"/> also -q and -M (pub, sub).</summary>
    public void AddTo(Command command, bool messageFlags = true)
    {
        _messageFlags = messageFlags;
        foreach (var o in new Option[] { Host, Port, ClientId, KeepAlive, Version, Username, Password, CaFile, Cert, Key, Insecure, TlsServerName, Debug })
            command.Options.Add(o);
        if (!messageFlags) return;
        command.Options.Add(Qos);
        command.Options.Add(MaxInflight);
    }

    /// <summary>Client options from the flags; throws <see cref="ArgumentException"/> naming a bad flag.</summary>
    public MqttClientOptions Build(ParseResult parse, bool cleanSession = true, string clientIdPrefix = "gatewayctl", TimeSpan? connectTimeout = null)
    {
        var version = GetVersion(parse);
        // Without the message flags (cmd: one request at a time) the client keeps mosquitto_pub's default window.
        var maxInflight = _messageFlags ? parse.GetValue(MaxInflight) : 20;
        if (maxInflight is < 1 or > 65535) throw new ArgumentException($"-M {maxInflight}: give 1 to 65535 messages in flight.");
        var tls = GetTls(parse);
        return new MqttClientOptions
        {
            Host = parse.GetValue(Host)!,
            Port = parse.GetValue(Port) ?? (tls is null ? 1883 : 8883),
            ClientId = parse.GetValue(ClientId) ?? $"{clientIdPrefix}-{Environment.ProcessId}",
            KeepAlive = TimeSpan.FromSeconds(parse.GetValue(KeepAlive)),
            ProtocolVersion = version,
            CleanSession = cleanSession,
            Username = parse.GetValue(Username),
            Password = parse.GetValue(Password),
            Tls = tls,
            MaxInflight = maxInflight,
            // Room for pub -l's whole pipeline (PubCommand.Pipeline plus one read buffer of lines), so a publish never
            // takes the client's slow path (waiting for queue space) in steady state.
            MaxPendingPublishes = 4096,
            ManualAck = false,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
        };
    }

    public MqttProtocolVersion GetVersion(ParseResult parse) => parse.GetValue(Version)?.ToLowerInvariant() switch
    {
        "mqttv5" or "5" or "v5" => MqttProtocolVersion.V500,
        "mqttv311" or "311" or "v311" => MqttProtocolVersion.V311,
        var other => throw new ArgumentException($"-V {other}: use mqttv5 or mqttv311 (mqttv31 is not supported)."),
    };

    /// <summary>The TLS flags as client options; null without --cafile and --cert.</summary>
    public MqttTlsOptions? GetTls(ParseResult parse)
    {
        var ca = parse.GetValue(CaFile);
        var cert = parse.GetValue(Cert);
        var key = parse.GetValue(Key);
        if ((cert is null) != (key is null)) throw new ArgumentException("--cert and --key go together (mutual TLS needs both).");
        return ca is null && cert is null ? null : new MqttTlsOptions
        {
            CaFile = ca?.FullName,
            CertificateFile = cert?.FullName,
            KeyFile = key?.FullName,
            ServerName = parse.GetValue(TlsServerName),
            SkipHostNameCheck = parse.GetValue(Insecure),
        };
    }

    public MqttQos GetQos(ParseResult parse)
    {
        var qos = parse.GetValue(Qos);
        return qos is < 0 or > 2 ? throw new ArgumentException($"-q {qos}: QoS must be 0, 1 or 2.") : (MqttQos)qos;
    }
}
