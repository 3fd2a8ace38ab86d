using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Configuration;
using Gateway.Core.Tls;

namespace Gateway.Ingest.Configuration;

// The dashboard's HTTPS: where it listens, its certificate and key, and the one case where plain HTTP is allowed.
public static partial class CentralConfigLoader
{
    /// <summary>RFC 5280 §4.2.1.12 id-kp-serverAuth: what a browser requires of a web server's certificate.</summary>
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Reads <c>dashboard.listen</c>, <c>dashboard.tls</c> (certFile, keyFile) and <c>dashboard.plainHttp</c>. The
    /// dashboard takes passwords and sets a session cookie, so it serves HTTPS (DESIGN §6); plain HTTP only when the
    /// configuration asks for it and only on loopback (the demo), because anything else sends passwords in clear.
    /// </summary>
    private static (Uri Listen, DashboardTlsConfig? Tls, bool PlainHttp) ReadDashboardHttp(ConfigSection d, bool enabled, string baseDirectory)
    {
        var listenText = d.String("listen", "http://127.0.0.1:8080");
        if (!Uri.TryCreate(listenText, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https") || listen.AbsolutePath != "/")
            throw d.Error("listen", $"must be https://ADDRESS:PORT such as https://0.0.0.0:8443; got '{listenText}'");
        var plain = d.Boolean("plainHttp", false);
        var t = d.Section("tls");
        var certFile = t.OptionalString("certFile");
        var keyFile = t.OptionalString("keyFile");
        t.RejectUnknownKeys();
        DashboardTlsConfig? tls = null;
        if (certFile is not null || keyFile is not null)
        {
            if (certFile is null || keyFile is null)
                throw t.Error(certFile is null ? "certFile" : "keyFile", "is required with the other: the certificate (PEM) and its private key (PEM, mode 0600)");
            tls = LoadTls(t, Path.GetFullPath(certFile, baseDirectory), Path.GetFullPath(keyFile, baseDirectory));
        }
        if (ListenProblem(listen, tls is not null, plain, enabled) is { } problem) throw d.Error(problem.Key, problem.Text);
        return (listen, tls, plain);
    }

    /// <summary>
    /// Whether a listen address fits the TLS settings: also checked when <c>--http</c> overrides the address. Null when
    /// it does; otherwise the key to blame (relative to <c>dashboard</c>) and what to do.
    /// </summary>
    public static (string Key, string Text)? ListenProblem(Uri listen, bool hasTls, bool plainHttp, bool dashboardEnabled)
    {
        if (listen.Scheme == "https")
        {
            if (!hasTls) return ("tls.certFile", $"is required to listen on {listen}: the dashboard's certificate (gatewayctl cert issue NAME --role dashboard --dns HOST --ca CA --out DIR, or your own) and tls.keyFile");
            return plainHttp ? ("plainHttp", $"is true but listen is {listen}; remove plainHttp") : null;
        }
        if (hasTls) return ("listen", $"is {listen} but tls.certFile is set; listen on https://{listen.Authority}");
        // Metrics alone (no dashboard, no logins) may be plain: monitoring systems scrape /metrics on the host.
        if (!dashboardEnabled) return null;
        if (!plainHttp)
            return ("listen", $"is plain HTTP ({listen}): logins and session cookies need HTTPS; listen on https://... with dashboard.tls.certFile and keyFile, or set \"plainHttp\": true for a loopback demo");
        return IsLoopback(listen) ? null
            : ("plainHttp", $"only applies to a loopback address (127.0.0.1, ::1, localhost); {listen.Host} would carry passwords in clear: use https:// with dashboard.tls");
    }

    private static bool IsLoopback(Uri listen) => listen.Host == "localhost" || (IPAddress.TryParse(listen.Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Loads the certificate and key through the one TLS file reader (<see cref="TlsFiles"/>) and checks what would
    /// otherwise fail at the first browser: a key that is shared (<see cref="SecretFile"/>), a certificate that is
    /// expired, not yet valid, or not a server certificate. Each problem names the file and what to do.
    /// </summary>
    private static DashboardTlsConfig LoadTls(ConfigSection t, string certPath, string keyPath)
    {
        string keyPem;
        try
        {
            keyPem = SecretFile.Read(keyPath);
        }
        catch (SecretFileException ex)
        {
            throw t.Error("keyFile", $"cannot be used: {ex.Message}");
        }
        X509Certificate2 pair;
        try
        {
            pair = TlsFiles.ReadPair(certPath, keyPath, keyPem);
        }
        catch (TlsFileException ex)
        {
            throw t.Error(ex.File == TlsFile.KeyFile ? "keyFile" : "certFile", $"names {ex.FilePath}, which {ex.Problem}");
        }
        var now = DateTime.UtcNow;
        string? problem = null;
        if (pair.NotAfter.ToUniversalTime() < now)
            problem = $"names {certPath}, which expired on {pair.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; issue a new one (gatewayctl cert issue NAME --role dashboard ...) and restart";
        else if (pair.NotBefore.ToUniversalTime() > now)
            problem = $"names {certPath}, which is valid only from {pair.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; check this machine's clock";
        else if (pair.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
            && !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthOid))
            problem = $"names {certPath}, which is not a server certificate (no serverAuth usage); issue one with --role dashboard";
        if (problem is null) return new DashboardTlsConfig(certPath, keyPath, pair);
        pair.Dispose();
        throw t.Error("certFile", problem);
    }
}
