using Gateway.Core.Tls;
using Gateway.Ingest.Configuration;

namespace Gateway.Ingest;

/// <summary>
/// The command line: <c>gateway-ingest [--config FILE] [--broker HOST:PORT] [--cafile FILE --cert FILE --key FILE]
/// [--influx URL] [--database NAME] [--client-id ID] [--http URL] [--state-dir DIR]</c>. The file holds the whole configuration; the options (and their
/// environment variables) override its most-changed keys, so one file serves several instances.
/// </summary>
public sealed record IngestOptions(string? ConfigPath, string? Broker, Uri? InfluxUrl, string? Database, string? ClientId, Uri? Http, string? StateDirectory)
{
    /// <summary>The shared-subscription group, or "none" for a plain subscription (one instance).</summary>
    public string? ShareGroup { get; init; }

    /// <summary>TLS files from the command line (mosquitto_pub's names); each overrides its <c>broker.tls</c> key.</summary>
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? TlsServerName { get; init; }

    public const string Usage = """
        usage: gateway-ingest [--config FILE] [--broker HOST:PORT] [--cafile FILE --cert FILE --key FILE]
                              [--influx URL] [--database NAME] [--client-id ID] [--http URL] [--state-dir DIR]
               gateway-ingest hash-password        (reads a password on stdin, prints a hash for dashboard.accounts;
                                                    each account has a role: viewer, operator or admin)

          --config FILE        central configuration (env INGEST_CONFIG; sample: deploy/central/central.json)
          --broker HOST:PORT   MQTT broker (env INGEST_BROKER; default 127.0.0.1:1883, or :8883 with TLS)
          --cafile FILE        fleet CA (PEM) the broker's certificate must chain to; turns on mutual TLS with --cert
                               and --key (env INGEST_CAFILE; config broker.tls.caFile)
          --cert FILE          this ingest's certificate, role ingest (env INGEST_CERT; config broker.tls.certFile)
          --key FILE           its private key, PEM, unencrypted (env INGEST_KEY; config broker.tls.keyFile)
          --tls-server-name N  name expected in the broker's certificate, default the host (env INGEST_TLS_SERVER_NAME)
          --influx URL         store base URL (env INGEST_INFLUX_URL; default http://127.0.0.1:8086)
          --database NAME      InfluxDB database (env INGEST_DATABASE; default fleet)
          --client-id ID       MQTT client id, unique per instance (env INGEST_CLIENT_ID; default ingest-<host name>)
          --http URL           dashboard/metrics address, e.g. https://0.0.0.0:8443 (env INGEST_HTTP); https needs
                               dashboard.tls in the config, plain http a loopback address and dashboard.plainHttp
          --state-dir DIR      where gateway status and alerts are kept across restarts (env INGEST_STATE_DIR)
          --share-group NAME   shared-subscription group, or 'none' for one instance (env INGEST_SHARE_GROUP; default ingest)
        """;

    private static readonly (string Option, string Env)[] Known =
    [
        ("--config", "INGEST_CONFIG"), ("--broker", "INGEST_BROKER"), ("--influx", "INGEST_INFLUX_URL"), ("--database", "INGEST_DATABASE"),
        ("--client-id", "INGEST_CLIENT_ID"), ("--http", "INGEST_HTTP"), ("--state-dir", "INGEST_STATE_DIR"),
        ("--share-group", "INGEST_SHARE_GROUP"), ("--cafile", "INGEST_CAFILE"), ("--cert", "INGEST_CERT"), ("--key", "INGEST_KEY"),
        ("--tls-server-name", "INGEST_TLS_SERVER_NAME"),
    ];

    /// <summary>Parses; null with an empty <paramref name="error"/> for --help, null with a message for a mistake.</summary>
    public static IngestOptions? Parse(IReadOnlyList<string> args, Func<string, string?> env, out string? error)
    {
        error = null;
        var values = Known.ToDictionary(k => k.Option, k => env(k.Env) is { Length: > 0 } v ? v : null);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-h" or "--help") { error = ""; return null; }
            if (!values.ContainsKey(args[i])) { error = $"unknown argument '{args[i]}'"; return null; }
            if (i + 1 >= args.Count) { error = $"{args[i]} needs a value"; return null; }
            values[args[i]] = args[++i];
        }
        if (values["--broker"] is { } broker)
        {
            var colon = broker.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(broker.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            {
                error = $"--broker must be HOST:PORT; got '{broker}'";
                return null;
            }
        }
        if (values["--share-group"] is { } g && g != "none" && !System.Text.RegularExpressions.Regex.IsMatch(g, "^[A-Za-z0-9_-]{1,64}$"))
        {
            error = $"--share-group must be 'none' or 1-64 characters of a-z, A-Z, 0-9, '-' and '_'; got '{g}'";
            return null;
        }
        Uri? influx = null;
        if (values["--influx"] is { } i1 && (!Uri.TryCreate(i1, UriKind.Absolute, out influx) || influx.Scheme is not ("http" or "https")))
        {
            error = $"--influx must be an http(s) URL such as http://127.0.0.1:8086; got '{i1}'";
            return null;
        }
        Uri? http = null;
        if (values["--http"] is { } h && (!Uri.TryCreate(h, UriKind.Absolute, out http) || http.Scheme is not ("http" or "https") || http.AbsolutePath != "/"))
        {
            error = $"--http must be an https (or, for a loopback demo, http) URL such as https://127.0.0.1:8443; got '{h}'";
            return null;
        }
        return new IngestOptions(values["--config"], values["--broker"], influx, values["--database"], values["--client-id"], http, values["--state-dir"])
        {
            ShareGroup = values["--share-group"],
            CaFile = values["--cafile"],
            CertFile = values["--cert"],
            KeyFile = values["--key"],
            TlsServerName = values["--tls-server-name"],
        };
    }

    /// <summary>Loads the configuration file (or the defaults) and applies the overrides.</summary>
    public CentralConfig Resolve()
    {
        var config = ConfigPath is null ? CentralConfigLoader.Default() : CentralConfigLoader.Load(ConfigPath);
        if (Broker is not null)
        {
            var colon = Broker.LastIndexOf(':');
            config = config with { Broker = config.Broker with { Host = Broker[..colon], Port = int.Parse(Broker.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture) } };
        }
        config = ApplyTls(config);
        if (ClientId is not null) config = config with { Broker = config.Broker with { ClientId = ClientId } };
        if (ShareGroup is not null) config = config with { Broker = config.Broker with { ShareGroup = ShareGroup == "none" ? null : ShareGroup } };
        if (InfluxUrl is not null)
        {
            var url = InfluxUrl.AbsolutePath.EndsWith('/') ? InfluxUrl : new Uri(InfluxUrl.AbsoluteUri + "/");
            config = config with
            {
                Store = config.Store with { Url = url },
                History = config.History is { } hist && hist.Url == config.Store.Url ? hist with { Url = url } : config.History,
            };
        }
        if (Database is not null)
        {
            config = config with
            {
                Store = config.Store with { Database = Database },
                History = config.History is { } hist && hist.Database == config.Store.Database ? hist with { Database = Database } : config.History,
            };
        }
        if (Http is not null)
        {
            // The file's TLS settings decide what the address may be (HTTPS needs dashboard.tls; plain HTTP, plainHttp).
            if (CentralConfigLoader.ListenProblem(Http, config.Dashboard.Tls is not null, config.Dashboard.PlainHttp, config.Dashboard.Enabled) is { } problem)
                throw new ConfigException($"--http {Http}: 'dashboard.{problem.Key}' {problem.Text}");
            config = config with { Dashboard = config.Dashboard with { Listen = Http } };
        }
        if (StateDirectory is not null) config = config with { StateDirectory = Path.GetFullPath(StateDirectory) };
        return config;
    }

    /// <summary>
    /// Merges the TLS flags into <c>broker.tls</c> and, when any was given, checks the result as the loader checks the
    /// file's keys, naming the flag (or the key) of the file at fault.
    /// </summary>
    private CentralConfig ApplyTls(CentralConfig config)
    {
        if (CaFile is null && CertFile is null && KeyFile is null && TlsServerName is null) return config;
        var file = config.Broker.Tls;
        string? Pick(string? flag, string? fromFile) => flag is null ? fromFile : Path.GetFullPath(flag);
        var ca = Pick(CaFile, file?.CaFile);
        var cert = Pick(CertFile, file?.CertFile);
        var key = Pick(KeyFile, file?.KeyFile);
        if (ca is null || cert is null || key is null)
            throw new ConfigException($"--cafile, --cert and --key go together (mutual TLS with the fleet CA); missing {string.Join(", ", new[] { ("--cafile", ca), ("--cert", cert), ("--key", key) }.Where(x => x.Item2 is null).Select(x => x.Item1))}");
        var tls = new BrokerTlsConfig(ca, cert, key, TlsServerName ?? file?.ServerName);
        if (tls.Check(DateTimeOffset.UtcNow) is { } problem)
        {
            var (flag, given) = problem.File switch
            {
                TlsFile.CaFile => ("--cafile", CaFile),
                TlsFile.CertificateFile => ("--cert", CertFile),
                _ => ("--key", KeyFile),
            };
            throw new ConfigException(given is not null ? $"{flag} {problem.Problem}" : $"'broker.tls.{CentralConfigLoader.TlsKey(problem.File)}' {problem.Problem}");
        }
        var port = file is null && !config.Broker.PortGiven && Broker is null ? BrokerTlsConfig.DefaultPort : config.Broker.Port;
        return config with { Broker = config.Broker with { Tls = tls, Port = port } };
    }
}
