using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Tls;

namespace Gateway.Mqtt;

/// <summary>
/// TLS for the broker connection (SslStream). The server certificate must chain to <see cref="CaFile"/> (pinning: the
/// machine's trust store is not consulted) or, without it, to the system trust store; its name must match
/// <see cref="ServerName"/> (default: the host). A client certificate and key (PEM) give mutual TLS. Files are read
/// and checked when the client is created, so a wrong path fails at start, not at the first connection.
/// </summary>
public sealed class MqttTlsOptions
{
    /// <summary>PEM file with the CA certificate(s) the broker's certificate must chain to.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate (mutual TLS); needs <see cref="KeyFile"/>.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (PKCS#8, PKCS#1 or SEC1, unencrypted).</summary>
    public string? KeyFile { get; init; }

    /// <summary>SNI and the name checked in the broker's certificate; default the connection's host.</summary>
    public string? ServerName { get; init; }

    /// <summary>Skips the host name check (the chain is still checked). For brokers addressed by an IP their certificate does not list.</summary>
    public bool SkipHostNameCheck { get; init; }

    /// <summary>Default: TLS 1.2 and 1.3.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Reads every file as a connection would and returns the client certificate's validity (null without one), so a
    /// service can refuse to start on a bad file, or an expired certificate, before it touches the network.
    /// </summary>
    /// <exception cref="TlsFileException">A file is missing, unreadable, not PEM, or the key does not match.</exception>
    public (DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Subject)? Verify()
    {
        var (roots, client) = Load();
        using (client)
        {
            if (roots is not null)
                foreach (var root in roots) root.Dispose();
            return client is null ? null : (new DateTimeOffset(client.NotBefore.ToUniversalTime()), new DateTimeOffset(client.NotAfter.ToUniversalTime()), client.Subject);
        }
    }

    /// <summary>The CA roots (null without a CA file) and the client certificate with its key (null without one), read by <see cref="TlsFiles"/>; caller disposes.</summary>
    internal (X509Certificate2Collection? Roots, X509Certificate2? Client) Load()
    {
        var roots = CaFile is null ? null : TlsFiles.ReadRoots(CaFile);
        try
        {
            return (roots, CertificateFile is { } cert && KeyFile is { } key ? TlsFiles.ReadPair(cert, key) : null);
        }
        catch
        {
            foreach (var root in roots ?? []) root.Dispose();
            throw;
        }
    }

    internal void Validate()
    {
        if ((CertificateFile is null) != (KeyFile is null))
            throw new ArgumentException("MqttClientOptions.Tls: CertificateFile and KeyFile go together (mutual TLS needs both).", nameof(CertificateFile));
    }
}
