using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Pki;

/// <summary>
/// The fleet's certificate authority: a directory with <c>ca.crt</c>, <c>ca.key</c> (0600), <c>crl.pem</c> and
/// <c>index.json</c>. Made with the framework's crypto only (<see cref="CertificateRequest"/>,
/// <see cref="CertificateRevocationListBuilder"/>). Keys are ECDSA P-256 with SHA-256: small enough for a Pi Zero's TLS
/// handshakes, and accepted by OpenSSL (mosquitto) and .NET's SslStream alike.
/// </summary>
public sealed partial class FleetCa : IDisposable
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// The CRL's nextUpdate. OpenSSL refuses every client once the CRL has expired ("CRL has expired"), which would cut
    /// off the whole fleet, so it is long; any revoke re-signs it, and <c>cert revoke --refresh</c> only re-signs.
    /// </summary>
    public static readonly TimeSpan CrlLifetime = TimeSpan.FromDays(365);

    private readonly ECDsa _key;

    private FleetCa(string directory, X509Certificate2 certificate, ECDsa key, TimeProvider time)
    {
        Directory = directory;
        Certificate = certificate;
        _key = key;
        Time = time;
    }

    public string Directory { get; }
    public X509Certificate2 Certificate { get; }
    public TimeProvider Time { get; }
    public string CertificatePath => Path.Combine(Directory, "ca.crt");
    public string KeyPath => Path.Combine(Directory, "ca.key");
    public string CrlPath => Path.Combine(Directory, "crl.pem");

    /// <summary>Creates a new CA in <paramref name="directory"/>; refuses to overwrite an existing key.</summary>
    public static FleetCa Init(string directory, string commonName, TimeProvider time)
    {
        System.IO.Directory.CreateDirectory(directory);
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(keyPath))
            throw new PkiException($"{keyPath} already exists; a second CA key would orphan every certificate issued so far. Use another --dir, or delete the old CA on purpose.");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, OU=fleet-ca"), key, HashAlgorithmName.SHA256);
        // RFC 5280 §4.2.1.9: a CA certificate must say so; path length 0 = it signs leaves only, never other CAs.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var self = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
        var certificate = X509CertificateLoader.LoadCertificate(self.RawData);
        PemFiles.WritePrivateKey(keyPath, key);
        PemFiles.WriteCertificate(Path.Combine(directory, "ca.crt"), certificate);
        var ca = new FleetCa(directory, certificate, key, time);
        var index = new CaIndex();
        ca.WriteCrl(index);
        index.Save(directory);
        return ca;
    }

    public static FleetCa Open(string directory, TimeProvider time)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new PkiException($"CA directory {directory} does not exist; create it with `gatewayctl ca init --dir {directory}`");
        var certificate = PemFiles.ReadCertificate(Path.Combine(directory, "ca.crt"));
        var key = PemFiles.ReadPrivateKey(Path.Combine(directory, "ca.key"));
        return new FleetCa(directory, certificate, key, time);
    }

    /// <summary>Certificate names: an MQTT user name in ACL patterns (no '+', '#', '/') and a gateway id.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
