using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Core.Tls;

/// <summary>
/// The one reader of PEM TLS files (a CA bundle; a certificate with its private key) for every TLS endpoint: the MQTT
/// client (agent, ingest, gatewayctl), the dashboard's HTTPS and <c>gatewayctl broker config --broker-cert</c>. It
/// checks each file for the mistakes people make (a wrong path, a file the service's user cannot read, a DER or empty
/// file, a key from another certificate) and names the file in a <see cref="TlsFileException"/>. Dates, key usages and
/// file modes are the caller's policy, checked on what this returns.
/// </summary>
public static class TlsFiles
{
    /// <summary>The CA certificates of a PEM bundle; caller disposes them.</summary>
    public static X509Certificate2Collection ReadRoots(string caFile)
    {
        var pem = Read(TlsFile.CaFile, caFile, "give the fleet CA's ca.crt");
        X509Certificate2Collection roots = [];
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new TlsFileException(TlsFile.CaFile, caFile, $"is not a readable PEM certificate file ({ex.Message}); give the fleet CA's ca.crt (PEM, '-----BEGIN CERTIFICATE-----')", ex);
        }
        if (roots.Count == 0)
            throw new TlsFileException(TlsFile.CaFile, caFile, "holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); give the fleet CA's ca.crt (convert DER with `openssl x509 -inform der`)");
        return roots;
    }

    /// <summary>
    /// The certificate with its private key, usable by SslStream on every platform; caller disposes it.
    /// <paramref name="keyPem"/> is the key's text when the caller has already read the key file through its own checks
    /// (the dashboard refuses a key others can read); otherwise the key file is read here.
    /// </summary>
    public static X509Certificate2 ReadPair(string certFile, string keyFile, string? keyPem = null)
    {
        var certPem = Read(TlsFile.CertificateFile, certFile, "give the NAME.crt that `gatewayctl cert issue` wrote");
        keyPem ??= Read(TlsFile.KeyFile, keyFile, "give the NAME.key written beside the certificate");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException ex)
        {
            throw new TlsFileException(TlsFile.CertificateFile, certFile, $"holds no PEM certificate ({ex.Message}); give the NAME.crt that `gatewayctl cert issue` wrote (or your own, PEM)", ex);
        }
        using (certificate)
        {
            if (!HasPrivateKey(keyPem))
                throw new TlsFileException(TlsFile.KeyFile, keyFile, "holds no unencrypted PEM private key ('-----BEGIN PRIVATE KEY-----', EC or RSA); give the NAME.key written beside the certificate");
            try
            {
                using var pair = X509Certificate2.CreateFromPem(certPem, keyPem);
                // Re-imported from PKCS#12 so the key is usable by the platform's TLS stack (an ephemeral PEM key is not on every platform).
                return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null);
            }
            // A key of another certificate is an ArgumentException ("does not match the public key"), a damaged one a CryptographicException.
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new TlsFileException(TlsFile.KeyFile, keyFile, $"is not the key of the certificate in {certFile} ({certificate.Subject}); use the .key issued together with that .crt", ex);
            }
        }
    }

    private static string Read(TlsFile which, string path, string whatToGive)
    {
        try
        {
            if (!File.Exists(path)) throw new TlsFileException(which, path, $"does not exist; {whatToGive}");
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TlsFileException(which, path, $"cannot be read ({ex.Message}); it must be readable by the service's user", ex);
        }
    }

    private static bool HasPrivateKey(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label is "PRIVATE KEY" or "EC PRIVATE KEY" or "RSA PRIVATE KEY") return true;
            rest = rest[fields.Location.End..];
        }
        return false;
    }
}
