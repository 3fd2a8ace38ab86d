using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Mqtt.Transport;

/// <summary>
/// The TLS settings of one client, loaded once (CA and client certificate from PEM), and the handshake. The server
/// certificate is checked against the pinned CA only (custom root trust, RFC 5280 path validation by X509Chain) and
/// its name against the expected host (RFC 6125 via SslStream's name check); a refusal names the reason.
/// </summary>
internal sealed class MqttTls
{
    private readonly MqttTlsOptions _options;
    private readonly X509Certificate2Collection? _roots;
    private readonly X509Certificate2? _clientCertificate;

    public MqttTls(MqttTlsOptions options)
    {
        _options = options;
        (_roots, _clientCertificate) = options.Load();
    }

    public async Task<Stream> AuthenticateAsync(Stream inner, string host, string endpoint, CancellationToken ct)
    {
        string? refusal = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var target = _options.ServerName ?? host;
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = target,
            EnabledSslProtocols = _options.Protocols,
            ClientCertificates = _clientCertificate is null ? null : [_clientCertificate],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = Check(certificate, errors, target);
                return refusal is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, ct).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = refusal ?? $"the TLS handshake failed: {ex.Message}{(ex.InnerException is { } inner2 ? $" ({inner2.Message})" : "")}";
            throw new MqttConnectionException($"TLS connection to the MQTT broker at {endpoint} refused: {why}.", ex);
        }
    }

    /// <summary>Why the server certificate is refused, or null to accept it.</summary>
    private string? Check(X509Certificate? certificate, SslPolicyErrors errors, string target)
    {
        if (certificate is null) return "the broker sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !_options.SkipHostNameCheck)
            return $"the broker's certificate ({certificate.Subject}) is not valid for the name '{target}'; connect by a name it lists or set the TLS server name";
        if (_roots is null)
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0
                ? $"the broker's certificate ({certificate.Subject}) does not chain to a trusted root; give its CA with --cafile / Tls.CaFile"
                : null;
        // Pinning: build the chain against our CA only, whatever the machine trusts.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        if (chain.Build(server)) return null;
        var status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        var expired = chain.ChainStatus.Any(s => s.Status == X509ChainStatusFlags.NotTimeValid);
        return expired
            ? $"the broker's certificate ({server.Subject}) is expired or not yet valid (valid {server.NotBefore:u} to {server.NotAfter:u}); {ClockAdvice(server)}"
            : $"the broker's certificate ({server.Subject}, issuer {server.Issuer}) is not signed by the CA in {_options.CaFile} ({status})";
    }

    /// <summary>
    /// Certificate validity is checked against the system clock, and a Raspberry Pi has no battery clock: after a
    /// power cut it restarts where it stopped (fake-hwclock), possibly before a certificate's notBefore. Says which of
    /// the two is probably wrong.
    /// </summary>
    internal static string ClockAdvice(X509Certificate2 certificate, DateTime? now = null)
    {
        var clock = now ?? DateTime.UtcNow;
        if (clock < certificate.NotBefore.ToUniversalTime())
            return $"this machine's clock reads {clock:u}, before the certificate's validity begins: probably a clock problem, not a certificate one (a Pi without a battery clock restarts behind until GPS through chrony or NTP sets it; check with `chronyc tracking` or `gatewayctl status`)";
        if (clock > certificate.NotAfter.ToUniversalTime().AddYears(1))
            return $"this machine's clock reads {clock:u}, more than a year after the certificate expired: check the clock first (`chronyc tracking`), then renew";
        return $"this machine's clock reads {clock:u}; if that is right, renew the certificate";
    }
}
