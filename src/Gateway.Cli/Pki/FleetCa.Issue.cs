using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Cli.Pki;

/// <summary>What to put in a leaf certificate.</summary>
public sealed record IssueRequest(string Name, CertificateRole Role)
{
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>Validity; the default is two years, so a gateway left in the field outlives one maintenance cycle.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(730);

    /// <summary>Start of validity relative to now (tests issue already-expired certificates with a negative value).</summary>
    public TimeSpan NotBeforeOffset { get; init; } = TimeSpan.FromMinutes(-5);
}

public sealed partial class FleetCa
{
    /// <summary>
    /// Issues a certificate and key for <paramref name="request"/> into <paramref name="outDir"/> as NAME.crt and NAME.key
    /// (0600). Refuses a name already held by another role, and existing files (a key is never overwritten silently).
    /// </summary>
    public (string CertificatePath, string KeyPath) Issue(IssueRequest request, string outDir) => Issue(request, outDir, out _);

    /// <summary><see cref="Issue(IssueRequest, string)"/>, also giving the new certificate's expiry (UTC) without reading it back.</summary>
    private (string CertificatePath, string KeyPath) Issue(IssueRequest request, string outDir, out DateTime notAfterUtc)
    {
        if (!IsValidName(request.Name))
            throw new PkiException($"'{request.Name}' is not a usable certificate name: use 1-64 characters of a-z, 0-9, '-' and '_' starting with a letter or digit (it becomes the MQTT user name and, for a gateway, its id)");
        var index = CaIndex.Load(Directory);
        var now = Time.GetUtcNow();
        var other = index.Certificates.FirstOrDefault(c => c.Name == request.Name && c.Role != request.Role && c.RevokedAt is null && c.NotAfter > now);
        if (other is not null)
            throw new PkiException($"'{request.Name}' already holds a certificate as {other.Role.Name()} (serial {other.Serial}); one name has one role, because the broker ACL grants by name. Pick another name, or revoke it first with `gatewayctl cert revoke {request.Name} --ca {Directory}`");
        if (request.Role.IsServer() && request.DnsNames.Count == 0 && request.Addresses.Count == 0)
            throw new PkiException($"a {request.Role.Name()} certificate needs the names clients connect to: add --dns HOST and/or --ip ADDRESS");

        System.IO.Directory.CreateDirectory(outDir);
        var crtPath = Path.Combine(outDir, $"{request.Name}.crt");
        var keyPath = Path.Combine(outDir, $"{request.Name}.key");
        foreach (var existing in new[] { crtPath, keyPath })
            if (File.Exists(existing))
                throw new PkiException($"{existing} already exists; move it away (or revoke and re-issue under another --out) so no key is overwritten by accident");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request509 = new CertificateRequest(new X500DistinguishedName($"CN={request.Name}, OU={request.Role.Name()}"), key, HashAlgorithmName.SHA256);
        request509.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request509.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request509.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ExtendedKeyUsages(request.Role), false));
        request509.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request509.PublicKey, false));
        request509.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (request.DnsNames.Count > 0 || request.Addresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in request.DnsNames) san.AddDnsName(dns);
            foreach (var ip in request.Addresses) san.AddIpAddress(ip);
            request509.CertificateExtensions.Add(san.Build());
        }

        var notBefore = now.Add(request.NotBeforeOffset);
        var notAfter = notBefore.Add(request.Lifetime);
        if (notAfter > Certificate.NotAfter) notAfter = Certificate.NotAfter;
        var serial = NewSerial();
        using var signer = Certificate.CopyWithPrivateKey(_key);
        using var signed = request509.Create(signer, notBefore, notAfter, serial);
        using var certificate = X509CertificateLoader.LoadCertificate(signed.RawData);
        PemFiles.WritePrivateKey(keyPath, key);
        PemFiles.WriteCertificate(crtPath, certificate);
        notAfterUtc = certificate.NotAfter.ToUniversalTime();
        index.Certificates.Add(new IssuedCertificate { Serial = Convert.ToHexString(serial), Name = request.Name, Role = request.Role, NotAfter = notAfter });
        index.Save(Directory);
        return (crtPath, keyPath);
    }

    private static OidCollection ExtendedKeyUsages(CertificateRole role) => role switch
    {
        // RFC 5280 §4.2.1.12: id-kp-serverAuth 1.3.6.1.5.5.7.3.1, id-kp-clientAuth 1.3.6.1.5.5.7.3.2.
        CertificateRole.Broker or CertificateRole.Dashboard => [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth")],
        _ => [new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")],
    };

    /// <summary>RFC 5280 §4.1.2.2: a positive integer of at most 20 octets, unique per CA; 16 random bytes with the top bit clear.</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
