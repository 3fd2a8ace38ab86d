using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Cli.Pki;

/// <summary>What <see cref="FleetCa.IssueOrKeep"/> did: issued a new pair, or found the requested one already there.</summary>
public sealed record IssueOutcome(string CertificatePath, string KeyPath, bool Kept, DateTimeOffset NotAfter);

/// <summary>
/// Running <c>ca init</c> or <c>cert issue</c> a second time (the provisioning steps are repeatable, docs/engineers.md):
/// when what the command would make is already there, whole and as asked, nothing is written and the command says so;
/// anything else in the way is refused with what differs, and nothing is overwritten.
/// </summary>
public sealed partial class FleetCa
{
    /// <summary>
    /// The CA in <paramref name="directory"/>: created when there is none (<paramref name="created"/> true), opened
    /// when ca.key and ca.crt are a pair named <paramref name="commonName"/>; refused when only part of a CA or another
    /// CA is there.
    /// </summary>
    public static FleetCa InitOrOpen(string directory, string commonName, TimeProvider time, out bool created)
    {
        created = !File.Exists(Path.Combine(directory, "ca.key"));
        if (created) return Init(directory, commonName, time);
        var ca = OpenExisting(directory, time);
        var existingName = ca.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (existingName != commonName)
        {
            ca.Dispose();
            throw new PkiException($"{directory} already holds the fleet CA '{existingName}', not '{commonName}'; nothing was changed. " +
                "A second CA would orphan every certificate issued so far: use another --dir for a new CA, or drop --name to keep this one.");
        }
        return ca;
    }

    /// <summary>
    /// <see cref="Issue"/>, unless <paramref name="outDir"/> already holds NAME.crt and NAME.key that this CA issued
    /// for the same name, role and host names, unrevoked, unexpired and matching each other: then those are kept.
    /// </summary>
    public IssueOutcome IssueOrKeep(IssueRequest request, string outDir)
    {
        var crtPath = Path.Combine(outDir, $"{request.Name}.crt");
        var keyPath = Path.Combine(outDir, $"{request.Name}.key");
        if (!File.Exists(crtPath) || !File.Exists(keyPath))
        {
            var (crt, key) = Issue(request, outDir, out var notAfter); // refuses a lone .crt or .key
            return new IssueOutcome(crt, key, Kept: false, notAfter);
        }
        using var existing = PemFiles.ReadCertificate(crtPath);
        var problem = WhyNotTheSame(existing, keyPath, request);
        if (problem is not null)
        {
            throw new PkiException($"{crtPath} already exists but {problem}; nothing was overwritten. Move NAME.crt and NAME.key away " +
                $"(after `gatewayctl cert revoke {request.Name} --ca {Directory}` if it must stop working) and issue again.");
        }
        return new IssueOutcome(crtPath, keyPath, Kept: true, existing.NotAfter.ToUniversalTime());
    }

    private static FleetCa OpenExisting(string directory, TimeProvider time)
    {
        var ca = Open(directory, time);
        if (!IsKeyOf(ca.Certificate, ca._key))
        {
            ca.Dispose();
            throw new PkiException($"{Path.Combine(directory, "ca.key")} and ca.crt are not a pair; restore the CA directory from its backup. Nothing was changed.");
        }
        return ca;
    }

    /// <summary>Null when <paramref name="existing"/> is what <paramref name="request"/> asks for; otherwise what differs.</summary>
    private string? WhyNotTheSame(X509Certificate2 existing, string keyPath, IssueRequest request)
    {
        var serial = existing.SerialNumber;
        var entry = CaIndex.Load(Directory).Certificates.FirstOrDefault(c => string.Equals(c.Serial, serial, StringComparison.OrdinalIgnoreCase));
        if (entry is null || !existing.IssuerName.RawData.AsSpan().SequenceEqual(Certificate.SubjectName.RawData))
            return $"was not issued by the CA in {Directory}";
        if (entry.Name != request.Name || entry.Role != request.Role)
            return $"is {entry.Name}'s {entry.Role.Name()} certificate, not a {request.Role.Name()} one";
        if (entry.RevokedAt is not null) return $"was revoked on {entry.RevokedAt:yyyy-MM-dd}";
        if (existing.NotAfter.ToUniversalTime() <= Time.GetUtcNow().UtcDateTime) return $"expired on {existing.NotAfter.ToUniversalTime():yyyy-MM-dd}";
        using (var key = PemFiles.ReadPrivateKey(keyPath))
        {
            if (!IsKeyOf(existing, key)) return $"{Path.GetFileName(keyPath)} is not its key";
        }
        var san = existing.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var hasDns = san?.EnumerateDnsNames().Order(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        var hasIp = san?.EnumerateIPAddresses().Select(a => a.ToString()).Order(StringComparer.Ordinal).ToArray() ?? [];
        var wantDns = request.DnsNames.Order(StringComparer.OrdinalIgnoreCase).ToArray();
        var wantIp = request.Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToArray();
        if (!hasDns.SequenceEqual(wantDns, StringComparer.OrdinalIgnoreCase) || !hasIp.SequenceEqual(wantIp, StringComparer.Ordinal))
            return $"names other hosts ({Hosts(hasDns, hasIp)}) than asked ({Hosts(wantDns, wantIp)})";
        return null;
    }

    /// <summary>Whether <paramref name="key"/> is the private half of <paramref name="certificate"/>'s public key.</summary>
    private static bool IsKeyOf(X509Certificate2 certificate, ECDsa key)
    {
        using var certificateKey = certificate.GetECDsaPublicKey();
        return certificateKey is not null && certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
    }

    private static string Hosts(string[] dns, string[] ips) => dns.Length + ips.Length == 0 ? "none" : string.Join(", ", dns.Concat(ips));
}
