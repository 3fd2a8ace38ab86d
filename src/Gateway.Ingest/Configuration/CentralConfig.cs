namespace Gateway.Ingest.Configuration;

/// <summary>
/// The central service's whole configuration (<c>deploy/central/central.json</c>), validated once at start by
/// <see cref="CentralConfigLoader"/> without touching the network. Each part can be turned off, so the same
/// executable runs as an ingest worker only (scale-out) or as the one instance that also serves alerts and dashboard.
/// </summary>
public sealed record CentralConfig(
    BrokerConfig Broker,
    StoreConfig Store,
    HistoryConfig? History,
    IngestConfig Ingest,
    DashboardConfig Dashboard,
    AlertsConfig Alerts,
    IReadOnlyList<SiteConfig> Sites,
    IReadOnlyList<AssetConfig> Assets,
    string StateDirectory)
{
    /// <summary>The monitor (fleet state, alerts, dashboard) needs every message, so it runs only where it is wanted.</summary>
    public bool MonitorEnabled => Dashboard.Enabled || Alerts.Enabled;
}

public sealed record BrokerConfig(string Host, int Port, string ClientId, string? Username, string? Password, string? ShareGroup, TimeSpan KeepAlive)
{
    /// <summary>Mutual TLS with the fleet CA (<c>broker.tls</c>); null means plain TCP (a lab broker only).</summary>
    public BrokerTlsConfig? Tls { get; init; }

    /// <summary>Whether <c>broker.port</c> was written; if not, TLS turned on from the command line moves it to 8883.</summary>
    public bool PortGiven { get; init; }
}

public enum StoreKind
{
    /// <summary>InfluxDB 1.x <c>/write</c> (db, rp, u/p); also served by 2.x/3.x for compatibility.</summary>
    InfluxDb1,

    /// <summary>InfluxDB 2.x/3.x <c>/api/v2/write</c> (org, bucket, token).</summary>
    InfluxDb2,

    /// <summary>VictoriaMetrics' InfluxDB line-protocol endpoint (<c>/write</c>).</summary>
    VictoriaMetrics,
}

public sealed record StoreConfig(
    StoreKind Kind,
    Uri Url,
    string Database,
    string? RetentionPolicy,
    string? Username,
    string? Password,
    string? Org,
    string? Bucket,
    string? Token,
    bool Gzip,
    int BatchMaxLines,
    TimeSpan BatchMaxDelay,
    TimeSpan BatchLinger,
    int MaxConcurrentWrites,
    TimeSpan Timeout,
    string? CredentialsFile = null);

/// <summary>Where InfluxQL history queries go (<c>/query</c>): the store itself for InfluxDB, or null when there is none.</summary>
/// <remarks>
/// <see cref="CredentialsFile"/> (like <see cref="StoreConfig.CredentialsFile"/>) is the password or token file, kept so
/// that a refusal names the file to fix; the secret itself is never logged.
/// </remarks>
public sealed record HistoryConfig(Uri Url, string Database, string? Username, string? Password, string? Token, string? CredentialsFile = null);

/// <param name="MaxPast">How old a point may be (<c>ingest.plausibleTime.maxPastDays</c>); older points are dropped and counted.</param>
/// <param name="MaxFuture">How far ahead of this server's clock a point may be (<c>maxFutureSeconds</c>).</param>
/// <param name="MaxTagsPerGateway">Distinct asset tag ids one gateway may report at a time (<c>ingest.assetTags.maxPerGateway</c>).</param>
/// <param name="NewTagsPerMinute">New asset tag ids one gateway may introduce per minute (<c>newPerMinute</c>).</param>
public sealed record IngestConfig(bool Enabled, IReadOnlyList<SequenceField> Sequences, TimeSpan MaxPast, TimeSpan MaxFuture, int MaxTagsPerGateway, int NewTagsPerMinute)
{
    /// <summary>The timestamps accepted at <paramref name="now"/>.</summary>
    public Payloads.PlausibleTime Window(DateTimeOffset now) => Payloads.PlausibleTime.Around(now, MaxPast, MaxFuture);
}

/// <summary>An integer field that counts up by one per point of a series (gateway + sensor): its gaps are losses.</summary>
public sealed record SequenceField(string Measurement, string Field);

public sealed record DashboardConfig(
    bool Enabled,
    Uri Listen,
    TimeSpan SessionLifetime,
    TimeSpan TrailLength,
    string? TileUrl,
    IReadOnlyList<AccountConfig> Accounts,
    string? TileArchive = null)
{
    /// <summary>The HTTPS certificate; null for plain HTTP (only with <see cref="PlainHttp"/> on loopback, or metrics alone).</summary>
    public DashboardTlsConfig? Tls { get; init; }

    /// <summary>The configuration asked for plain HTTP (the loopback demo).</summary>
    public bool PlainHttp { get; init; }
}

/// <summary>The dashboard's certificate (with its key), loaded and checked at start; the paths are for messages.</summary>
public sealed record DashboardTlsConfig(string CertFile, string KeyFile, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate);

/// <summary>
/// What a dashboard account may do. Viewers read; operators also acknowledge alerts, edit the asset registry and retire
/// gateways; admins also see and manage the accounts. An account without a role is an operator (what every account was
/// before roles existed).
/// </summary>
public enum DashboardRole
{
    Viewer,
    Operator,
    Admin,
}

public sealed record AccountConfig(string User, string PasswordHash, DashboardRole Role = DashboardRole.Operator);

public sealed record SiteConfig(string Name, IReadOnlyList<(double Lat, double Lon)>? Geofence, IReadOnlyList<string> Gateways);

/// <summary>A registered asset: the tag it carries and what the logistics staff call it (the registry, issue 15).</summary>
public sealed record AssetConfig(string Tag, string Name, string? Site, IReadOnlyList<(double Lat, double Lon)>? Geofence,
    string? Kind = null, string? Owner = null, string? Notes = null);
