using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Cli.Pki;
using Gateway.Cli.Provisioning;
using Gateway.Core.Tls;

namespace Gateway.Cli.Commands.Broker;

/// <summary>Settings of <c>gatewayctl broker config</c>.</summary>
public sealed record BrokerConfigRequest(string OutDir)
{
    public int Port { get; init; } = 8883;
    /// <summary>Names and addresses clients connect to; they go into the broker certificate's subjectAltName.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["localhost", "127.0.0.1"];
    /// <summary>Address the listener binds; null = every interface.</summary>
    public string? Bind { get; init; }
    /// <summary>The user mosquitto drops to when started as root (Debian's package creates <c>mosquitto</c>).</summary>
    public string User { get; init; } = "mosquitto";
    public string DataDir { get; init; } = "/var/lib/mosquitto/";
    /// <summary>Where the files will live on the broker host, if not where they are written.</summary>
    public string? ConfDir { get; init; }

    /// <summary>An existing broker certificate (e.g. <c>broker-hq.crt</c> from <c>cert issue --role broker</c>) to use instead of issuing one.</summary>
    public string? BrokerCertificate { get; init; }

    /// <summary>Its key; default the certificate's path with <c>.key</c>.</summary>
    public string? BrokerKey { get; init; }

    /// <summary>Gateways publishing to this broker: with <see cref="OutageHours"/>, the backlog the ingest's queue must hold.</summary>
    public int Gateways { get; init; } = 100;

    /// <summary>How long the ingest may be away while gateways keep publishing, without the broker dropping what it acknowledged.</summary>
    public double OutageHours { get; init; } = 4;

    /// <summary>Seconds between saves of the broker's state; 0 (the default) saves after every change.</summary>
    public int AutosaveSeconds { get; init; }

    /// <summary>One batch a second per gateway: the agent's default <c>pipeline.batchMaxDelayMs</c> of 1000 ms.</summary>
    public const int MessagesPerGatewayHour = 3600;

    /// <summary>Bytes per queued batch assumed for the byte bound: the reference profile's batches are well under 1 KiB.</summary>
    public const int BytesPerQueuedMessage = 1024;

    /// <summary>The fleet's maximum MQTT payload (the agent's batches are at most 64 KiB; the ingest reads up to 16 MiB).</summary>
    public const int MessageSizeLimit = 1024 * 1024;

    public long QueuedMessages => (long)Math.Ceiling(Gateways * OutageHours * MessagesPerGatewayHour);

    public long QueuedBytes => QueuedMessages * BytesPerQueuedMessage;
}

/// <summary>
/// Writes <c>mosquitto.conf</c>, <c>acl</c>, <c>ca.crt</c>, <c>crl.pem</c> and the broker's certificate and key into one
/// directory so that <c>mosquitto -c DIR/mosquitto.conf</c> runs as is: a single TLS listener that requires a client
/// certificate of the fleet CA, checks the CRL, takes the CN as the user name and applies the ACL. There is no
/// plain-TCP listener: per_listener_settings false and one listener means nothing else is served.
/// </summary>
public static class BrokerConfig
{
    public const string BrokerCertificateName = "broker";

    /// <summary>Writes the files; returns their names and, when they could not be given to the broker's user, the command to do it.</summary>
    public static (IReadOnlyList<string> Written, string? ManualStep) Write(FleetCa ca, BrokerConfigRequest request)
    {
        var outDir = Path.GetFullPath(request.OutDir);
        Directory.CreateDirectory(outDir);
        var confDir = request.ConfDir is null ? outDir : request.ConfDir.TrimEnd('/');
        var written = new List<string>();

        EnsureBrokerCertificate(ca, request, outDir, written);
        File.Copy(ca.CertificatePath, Path.Combine(outDir, "ca.crt"), overwrite: true);
        File.Copy(ca.CrlPath, Path.Combine(outDir, "crl.pem"), overwrite: true);
        PemFiles.WriteAtomic(Path.Combine(outDir, "acl"), BrokerAcl.Render(CaIndex.Load(ca.Directory).Certificates, ca.Time.GetUtcNow()), PemFiles.PublicMode);
        PemFiles.WriteAtomic(Path.Combine(outDir, "mosquitto.conf"), RenderConf(request, confDir), PemFiles.PublicMode);
        written.AddRange(["ca.crt", "crl.pem", "acl", "mosquitto.conf"]);

        // mosquitto 2.0 drops to `user` before it loads the key and writes persistence, so both must be that user's.
        var owned = new List<string> { Path.Combine(outDir, $"{BrokerCertificateName}.key") };
        if (!Directory.Exists(request.DataDir))
        {
            Directory.CreateDirectory(request.DataDir);
            owned.Add(request.DataDir);
        }
        var manual = request.User == "root" ? null : FileOwner.TryGive(request.User, owned);
        return (written, manual);
    }

    public static string RenderConf(BrokerConfigRequest request, string confDir)
    {
        var c = new StringBuilder();
        c.AppendLine("# Generated by `gatewayctl broker config`; re-run it instead of editing this file.");
        c.AppendLine("# Start: mosquitto -c " + Path.Combine(confDir, "mosquitto.conf"));
        c.AppendLine("per_listener_settings false");
        c.AppendLine("allow_anonymous false");
        c.AppendLine($"user {request.User}");
        c.AppendLine();
        c.AppendLine("# Durability: a message the broker acknowledged to a gateway (PUBACK: the gateway then deletes it from its");
        c.AppendLine("# journal) must survive a broker crash or kill -9 until the ingest has it (docs/reliability.md, \"The broker\").");
        c.AppendLine("persistence true");
        c.AppendLine($"persistence_location {(request.DataDir.EndsWith('/') ? request.DataDir : request.DataDir + "/")}");
        if (request.AutosaveSeconds == 0)
        {
            c.AppendLine("# Save after every change (with autosave_on_changes, autosave_interval counts changes), not every 30 minutes:");
            c.AppendLine("# mosquitto's default autosave_interval 1800 lost every acknowledged message to a kill -9.");
            c.AppendLine("autosave_on_changes true");
            c.AppendLine("autosave_interval 1");
        }
        else
        {
            c.AppendLine($"# Save every {request.AutosaveSeconds} s: a kill -9 loses what was acknowledged since the last save (at most that long).");
            c.AppendLine("autosave_on_changes false");
            c.AppendLine($"autosave_interval {request.AutosaveSeconds}");
        }
        c.AppendLine(System.FormattableString.Invariant($"# The queue of an offline persistent subscriber (the ingest while it is away): {request.Gateways} gateways x {request.OutageHours} h"));
        c.AppendLine(System.FormattableString.Invariant($"# x {BrokerConfigRequest.MessagesPerGatewayHour} batches an hour, at {BrokerConfigRequest.BytesPerQueuedMessage} bytes each. Beyond it mosquitto drops new messages for that"));
        c.AppendLine("# subscriber while still acknowledging them to the gateway: size it with --gateways/--outage-hours, and the broker's RAM.");
        c.AppendLine(System.FormattableString.Invariant($"max_queued_messages {request.QueuedMessages}"));
        c.AppendLine(System.FormattableString.Invariant($"max_queued_bytes {request.QueuedBytes}"));
        c.AppendLine("# The ingest acknowledges a batch of messages after one store write; the default window of 20 would cap its batch.");
        c.AppendLine("max_inflight_messages 1000");
        c.AppendLine("# The fleet's message size contract: a payload of at most 1 MiB (the agent's batches stay far below it).");
        c.AppendLine(System.FormattableString.Invariant($"message_size_limit {BrokerConfigRequest.MessageSizeLimit}"));
        c.AppendLine();
        c.AppendLine("log_dest stdout");
        c.AppendLine("log_type error");
        c.AppendLine("log_type warning");
        c.AppendLine("log_type notice");
        c.AppendLine("connection_messages true");
        c.AppendLine($"acl_file {confDir}/acl");
        c.AppendLine();
        c.AppendLine("# The only listener: TLS with a client certificate from the fleet CA, never plain TCP.");
        c.AppendLine(request.Bind is null ? $"listener {request.Port}" : $"listener {request.Port} {request.Bind}");
        c.AppendLine($"cafile {confDir}/ca.crt");
        c.AppendLine($"certfile {confDir}/{BrokerCertificateName}.crt");
        c.AppendLine($"keyfile {confDir}/{BrokerCertificateName}.key");
        c.AppendLine("# Revoked gateways (gatewayctl cert revoke); mosquitto reads it at start: restart after replacing it.");
        c.AppendLine($"crlfile {confDir}/crl.pem");
        c.AppendLine("require_certificate true");
        c.AppendLine("# The certificate's CN becomes the user name, which the ACL's %u patterns use.");
        c.AppendLine("use_identity_as_username true");
        c.AppendLine("tls_version tlsv1.2");
        return c.ToString();
    }

    /// <summary>
    /// Uses the named broker certificate, or keeps one already written that is valid, from this CA and covers the
    /// hosts; otherwise issues a new one.
    /// </summary>
    private static void EnsureBrokerCertificate(FleetCa ca, BrokerConfigRequest request, string outDir, List<string> written)
    {
        var crt = Path.Combine(outDir, $"{BrokerCertificateName}.crt");
        var key = Path.Combine(outDir, $"{BrokerCertificateName}.key");
        if (request.BrokerCertificate is { } named)
        {
            UseNamed(ca, request, named, request.BrokerKey ?? Path.ChangeExtension(named, ".key"), crt, key);
            written.AddRange([$"{BrokerCertificateName}.crt", $"{BrokerCertificateName}.key"]);
            return;
        }
        if (File.Exists(crt) && File.Exists(key) && IsUsable(ca, crt, request.Hosts)) return;
        File.Delete(crt);
        File.Delete(key);
        var dns = request.Hosts.Where(h => !IPAddress.TryParse(h, out _)).ToList();
        var ips = request.Hosts.Select(h => IPAddress.TryParse(h, out var a) ? a : null).OfType<IPAddress>().ToList();
        ca.Issue(new IssueRequest(BrokerCertificateName, CertificateRole.Broker) { DnsNames = dns, Addresses = ips }, outDir);
        written.AddRange([$"{BrokerCertificateName}.crt", $"{BrokerCertificateName}.key"]);
    }

    /// <summary>Checks a named certificate (this CA, a server certificate, valid, its key, the hosts asked for) and copies it in.</summary>
    private static void UseNamed(FleetCa ca, BrokerConfigRequest request, string crtPath, string keyPath, string crt, string key)
    {
        try
        {
            using var pair = TlsFiles.ReadPair(crtPath, keyPath);
        }
        catch (TlsFileException ex)
        {
            throw new PkiException($"--broker-{(ex.File == TlsFile.KeyFile ? "key" : "cert")} {ex.FilePath} {ex.Problem}");
        }
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(crtPath));
        if (cert.Issuer != ca.Certificate.Subject)
            throw new PkiException($"--broker-cert {crtPath} was issued by '{cert.Issuer}', not by this CA ('{ca.Certificate.Subject}'): gateways would refuse it; issue one with `gatewayctl cert issue NAME --role broker --ca {ca.Directory}`");
        if (cert.NotAfter.ToUniversalTime() <= ca.Time.GetUtcNow().UtcDateTime)
            throw new PkiException($"--broker-cert {crtPath} expired on {cert.NotAfter.ToUniversalTime():u}; issue a new one with `gatewayctl cert issue NAME --role broker`");
        if (cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.1"))
            throw new PkiException($"--broker-cert {crtPath} is not a server certificate (no serverAuth usage): issue one with --role broker");
        var missing = request.Hosts.Where(h => !cert.MatchesHostname(h, allowWildcards: false, allowCommonName: false)).ToList();
        if (missing.Count > 0)
            throw new PkiException($"--broker-cert {crtPath} does not list {string.Join(", ", missing)}, which --host names: clients connecting by that name would refuse it; re-issue it with --dns/--ip or leave that --host out");
        if (!SameFile(crtPath, crt)) PemFiles.WriteAtomic(crt, File.ReadAllText(crtPath), PemFiles.PublicMode);
        if (!SameFile(keyPath, key)) PemFiles.WriteAtomic(key, File.ReadAllText(keyPath), PemFiles.PrivateMode);
    }

    private static bool SameFile(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static bool IsUsable(FleetCa ca, string path, IReadOnlyList<string> hosts)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        var now = ca.Time.GetUtcNow();
        if (cert.Issuer != ca.Certificate.Subject || cert.NotAfter.ToUniversalTime() < now.AddDays(30).UtcDateTime) return false;
        return hosts.All(h => cert.MatchesHostname(h, allowWildcards: false, allowCommonName: false));
    }
}
