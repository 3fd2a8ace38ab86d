using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Configuration;
using Gateway.Core.Tls;
using Gateway.Mqtt;

namespace Gateway.Ingest.Configuration;

/// <summary>
/// Reads and validates the central configuration (JSON, comments allowed) once at start, without touching the network
/// (STYLE.md habit 10). Secrets are never in the file: <c>passwordFile</c>/<c>tokenFile</c> name files that hold them
/// (DESIGN §6), read here so a missing one stops the service at start instead of at the first write.
/// </summary>
public static partial class CentralConfigLoader
{
    /// <summary>A configuration is a few pages of JSON; geofences included, never megabytes.</summary>
    public const int MaxConfigBytes = 1024 * 1024;

    public static CentralConfig Load(string path) =>
        Parse(ConfigurationFile.Read<ConfigException>(path, MaxConfigBytes, "pass an existing file with --config (a sample is deploy/central/central.json)"),
            Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>The configuration that applies when no file is given: ingest only, InfluxDB 1.x on this machine.</summary>
    public static CentralConfig Default() => Parse("{}"u8, "(defaults)", Environment.CurrentDirectory);

    public static CentralConfig Parse(ReadOnlySpan<byte> json, string fileName, string baseDirectory)
    {
        using var doc = ConfigurationFile.Parse<ConfigException>(json, fileName);
        return Read(new ConfigSection(fileName, "", doc.RootElement), baseDirectory);
    }

    private static CentralConfig Read(ConfigSection root, string baseDirectory)
    {
        var broker = ReadBroker(root.Section("broker"), baseDirectory);
        var store = ReadStore(root.Section("store"), baseDirectory);
        var history = ReadHistory(root.Section("history"), store, baseDirectory);
        var ingest = ReadIngest(root.Section("ingest"));
        var dashboard = ReadDashboard(root.Section("dashboard"), baseDirectory);
        var alerts = ReadAlerts(root.Section("alerts"));
        var sites = ReadSites(root);
        var assets = ReadAssets(root, sites);
        var state = root.String("stateDirectory", "state");
        root.RejectUnknownKeys();
        if (!ingest.Enabled && !dashboard.Enabled && !alerts.Enabled)
            throw root.Error("ingest.enabled", "is false and so are dashboard.enabled and alerts.enabled; this instance would do nothing");
        return new CentralConfig(broker, store, history, ingest, dashboard, alerts, sites, assets, Path.GetFullPath(state, baseDirectory));
    }

    private static BrokerConfig ReadBroker(ConfigSection b, string baseDirectory)
    {
        var host = b.String("host", "127.0.0.1");
        var portGiven = b.Has("port");
        var tls = b.Has("tls") ? ReadTls(b.Section("tls", required: true), baseDirectory) : null;
        // The IANA ports: 8883 for MQTT over TLS, 1883 for plain TCP (as the agent's profile).
        var port = b.Integer("port", tls is null ? 1883 : BrokerTlsConfig.DefaultPort, 1, 65535);
        var clientId = b.String("clientId", $"ingest-{Environment.MachineName.ToLowerInvariant()}");
        if (clientId.Length > 200) throw b.Error("clientId", "must be at most 200 characters (the monitor adds a suffix)");
        var username = b.OptionalString("username");
        var (password, _) = Secret(b, "passwordFile", baseDirectory);
        if (password is not null && username is null) throw b.Error("passwordFile", "is set without username; MQTT 3.1.1 forbids a password without a user name [MQTT-3.1.2-22]");
        // "none" subscribes without a share group: one instance, and a subscription mosquitto 2.0 keeps across its own
        // restarts (it does not persist shared subscriptions; see the README's ingest section).
        var groupText = b.String("shareGroup", "ingest");
        var group = groupText == "none" ? null : groupText;
        // $share/{group}/{filter}: the group is one topic level without wildcards (MQTT 5.0 §4.8.2).
        if (group is not null && !ShareGroupPattern().IsMatch(group))
            throw b.Error("shareGroup", $"must be 'none' or 1-64 characters of a-z, A-Z, 0-9, '-' and '_'; got '{group}'");
        var keepAlive = b.Seconds("keepAliveSeconds", 30, 5, 3600);
        b.RejectUnknownKeys();
        return new BrokerConfig(host, port, clientId, username, password, group, keepAlive) { Tls = tls, PortGiven = portGiven };
    }

    /// <summary>Keys of <c>broker.tls</c>, as in the agent's profile.</summary>
    public static string TlsKey(TlsFile file) => file switch
    {
        TlsFile.CaFile => "caFile",
        TlsFile.CertificateFile => "certFile",
        _ => "keyFile",
    };

    private static BrokerTlsConfig ReadTls(ConfigSection t, string baseDirectory)
    {
        var tls = new BrokerTlsConfig(
            TlsPath(t, baseDirectory, "caFile", "the fleet CA's ca.crt"),
            TlsPath(t, baseDirectory, "certFile", "the ingest certificate from `gatewayctl cert issue NAME --role ingest`"),
            TlsPath(t, baseDirectory, "keyFile", "the key written beside that certificate"),
            t.OptionalString("serverName"));
        t.RejectUnknownKeys();
        // Read now, not at the first connection: a wrong file stops the service at start with the key's name.
        if (tls.Check(DateTimeOffset.UtcNow) is { } problem) throw t.Error(TlsKey(problem.File), problem.Problem);
        return tls;
    }

    private static string TlsPath(ConfigSection t, string baseDirectory, string name, string what) =>
        Path.GetFullPath(t.OptionalString(name) ?? throw t.Error(name, $"is required with broker.tls: {what} (PEM)"), baseDirectory);

    private static StoreConfig ReadStore(ConfigSection s, string baseDirectory)
    {
        var type = s.String("type", "influxdb1");
        var kind = type switch
        {
            "influxdb1" => StoreKind.InfluxDb1,
            "influxdb2" or "influxdb3" => StoreKind.InfluxDb2,
            "victoriametrics" => StoreKind.VictoriaMetrics,
            _ => throw s.Error("type", $"must be one of influxdb1, influxdb2, influxdb3, victoriametrics; got '{type}'"),
        };
        var url = s.OptionalHttpUrl("url") ?? new Uri(kind == StoreKind.VictoriaMetrics ? "http://127.0.0.1:8428" : "http://127.0.0.1:8086");
        var database = s.String("database", "fleet");
        var rp = s.OptionalString("retentionPolicy");
        var user = s.OptionalString("username");
        var (password, passwordFile) = Secret(s, "passwordFile", baseDirectory);
        if (password is not null && user is null) throw s.Error("passwordFile", "is set without username; name the store user whose password the file holds");
        if (user is not null && password is null && kind != StoreKind.InfluxDb2) throw s.Error("username", "is set without passwordFile; name a file (mode 0600) that holds the user's password");
        var org = s.OptionalString("org");
        var bucket = s.OptionalString("bucket");
        var (token, tokenFile) = Secret(s, "tokenFile", baseDirectory);
        if (kind == StoreKind.InfluxDb2)
        {
            if (bucket is null) throw s.Error("bucket", $"is required for type '{type}' (the /api/v2/write bucket, e.g. fleet)");
            if (token is null) throw s.Error("tokenFile", $"is required for type '{type}': a file holding an API token with write access to the bucket");
        }
        else if (org is not null || bucket is not null)
        {
            throw s.Error(org is not null ? "org" : "bucket", $"only applies to type influxdb2/influxdb3; type '{type}' uses database");
        }
        // VictoriaMetrics takes a bearer token (vmauth in front) or Basic (-httpAuth.*); InfluxDB 1.x has users only.
        if (kind == StoreKind.InfluxDb1 && token is not null) throw s.Error("tokenFile", "only applies to types influxdb2, influxdb3 and victoriametrics; influxdb1 uses username and passwordFile");
        if (token is not null && password is not null) throw s.Error("tokenFile", "and passwordFile are both set; a store takes one kind of credentials");
        var config = new StoreConfig(kind, EnsureSlash(url), database, rp, user, password, org, bucket, token,
            s.Boolean("gzip", true),
            s.Integer("batchMaxLines", 5000, 1, 100_000),
            TimeSpan.FromMilliseconds(s.Integer("batchMaxDelayMs", 1000, 1, 60_000)),
            TimeSpan.FromMilliseconds(s.Integer("batchLingerMs", 20, 0, 60_000)),
            s.Integer("maxConcurrentWrites", 2, 1, 16),
            s.Seconds("timeoutSeconds", 30, 1, 600),
            tokenFile ?? passwordFile);
        if (config.BatchLinger > config.BatchMaxDelay) throw s.Error("batchLingerMs", $"must not exceed batchMaxDelayMs ({config.BatchMaxDelay.TotalMilliseconds:0})");
        s.RejectUnknownKeys();
        return config;
    }

    private static HistoryConfig? ReadHistory(ConfigSection h, StoreConfig store, string baseDirectory)
    {
        var url = h.OptionalHttpUrl("url");
        var database = h.OptionalString("database");
        var user = h.OptionalString("username");
        var (password, passwordFile) = Secret(h, "passwordFile", baseDirectory);
        var (token, tokenFile) = Secret(h, "tokenFile", baseDirectory);
        if (password is not null && user is null) throw h.Error("passwordFile", "is set without username; name the store user whose password the file holds");
        if (user is not null && password is null) throw h.Error("username", "is set without passwordFile; name a file (mode 0600) that holds the user's password");
        if (token is not null && password is not null) throw h.Error("tokenFile", "and passwordFile are both set; history queries take one kind of credentials");
        h.RejectUnknownKeys();
        // The dashboard's reads use their own (read-only) user when one is named here, the store's otherwise.
        var credentials = user is not null || token is not null;
        var target = url ?? (store.Kind == StoreKind.VictoriaMetrics ? null : store.Url);
        if (target is null) return null;
        var db = database ?? (store.Kind == StoreKind.InfluxDb2 ? store.Bucket! : store.Database);
        if (credentials) return new HistoryConfig(EnsureSlash(target), db, user, password, token, tokenFile ?? passwordFile);
        if (url is not null) return new HistoryConfig(EnsureSlash(target), db, null, null, null);
        // InfluxDB 1.x, 2.x and 3.x all serve InfluxQL on /query (2.x through a DBRP mapping of the bucket); VictoriaMetrics does not.
        return store.Kind == StoreKind.InfluxDb2
            ? new HistoryConfig(store.Url, db, null, null, store.Token, store.CredentialsFile)
            : new HistoryConfig(store.Url, db, store.Username, store.Password, null, store.CredentialsFile);
    }

    private static IngestConfig ReadIngest(ConfigSection i)
    {
        var enabled = i.Boolean("enabled", true);
        var sequences = new List<SequenceField>();
        if (!i.Has("sequences")) sequences.Add(new("counter", "seq"));
        foreach (var s in i.Objects("sequences"))
        {
            sequences.Add(new(s.RequiredString("measurement"), s.RequiredString("field")));
            s.RejectUnknownKeys();
        }
        // The window of believable timestamps. Past: ten years catches a producer that sends seconds (1970) or zero,
        // while a gateway whose clock restarted at its SD image's build date (fake-hwclock, flagged unsynced by its
        // agent) and replays of recorded GPS logs are still stored. Future: GPS- or NTP-disciplined clocks agree within
        // seconds; five minutes leaves room for this server's own clock and bounds how long a bad future stamp could
        // hold a live view.
        var window = i.Section("plausibleTime");
        var maxPast = TimeSpan.FromDays(window.Integer("maxPastDays", 3650, 1, 36_500));
        var maxFuture = window.Seconds("maxFutureSeconds", 300, 0, 86_400);
        window.RejectUnknownKeys();
        // Asset tags per gateway: a checkpoint hears tens to a few hundred tags; 1,000 leaves room, while one gateway
        // inventing ids can add at most that many series to the store and assets to the dashboard (100 such gateways
        // to reach InfluxDB's default max-values-per-tag of 100,000). 60 new ids a minute is more than any convoy brings.
        var tags = i.Section("assetTags");
        var maxTags = tags.Integer("maxPerGateway", 1000, 1, 100_000);
        var newTags = tags.Integer("newPerMinute", 60, 1, 100_000);
        tags.RejectUnknownKeys();
        i.RejectUnknownKeys();
        return new IngestConfig(enabled, sequences, maxPast, maxFuture, maxTags, newTags);
    }

    /// <summary>The secret in the file the key names (mode 0600, <see cref="SecretFile"/>), and that file's full path for messages.</summary>
    private static (string? Secret, string? Path) Secret(ConfigSection s, string name, string baseDirectory)
    {
        var file = s.OptionalString(name);
        if (file is null) return (null, null);
        var path = Path.GetFullPath(file, baseDirectory);
        try
        {
            return (SecretFile.Read(path), path);
        }
        catch (SecretFileException ex)
        {
            throw s.Error(name, $"cannot be used: {ex.Message}");
        }
    }

    private static Uri EnsureSlash(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ShareGroupPattern();
}
