using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Cli.Pki;

public sealed partial class FleetCa
{
    /// <summary>
    /// Revokes every valid certificate issued to <paramref name="name"/> and re-signs <c>crl.pem</c>. Returns the
    /// serials revoked now; none when the name had nothing valid (the CRL is still re-signed, which also refreshes it).
    /// </summary>
    public IReadOnlyList<string> Revoke(string name)
    {
        var index = CaIndex.Load(Directory);
        var now = Time.GetUtcNow();
        var revoked = new List<string>();
        foreach (var c in index.Certificates.Where(c => c.Name == name && c.RevokedAt is null))
        {
            c.RevokedAt = now;
            revoked.Add(c.Serial);
        }
        if (revoked.Count == 0 && !index.Certificates.Exists(c => c.Name == name))
            throw new PkiException($"this CA never issued a certificate named '{name}'; `cat {CaIndex.PathOf(Directory)}` lists what it issued");
        WriteCrl(index);
        index.Save(Directory);
        return revoked;
    }

    /// <summary>Re-signs the CRL without revoking anything (run it well before the CRL's nextUpdate).</summary>
    public void RefreshCrl()
    {
        var index = CaIndex.Load(Directory);
        WriteCrl(index);
        index.Save(Directory);
    }

    private void WriteCrl(CaIndex index)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var c in index.Certificates.Where(c => c.RevokedAt is not null))
            builder.AddEntry(Convert.FromHexString(c.Serial), c.RevokedAt!.Value, X509RevocationReason.KeyCompromise);
        // RFC 5280 §5.2.3: the CRL number increases with every CRL the CA issues.
        index.CrlNumber++;
        var now = Time.GetUtcNow();
        using var signer = Certificate.CopyWithPrivateKey(_key);
        var der = builder.Build(signer, index.CrlNumber, now.Add(CrlLifetime), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddMinutes(-5));
        PemFiles.WriteCrl(CrlPath, der);
    }
}
