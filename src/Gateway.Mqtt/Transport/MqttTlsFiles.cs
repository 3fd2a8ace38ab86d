using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Mqtt.Transport;

/// <summary>
/// Reads the PEM files of <see cref="MqttTlsOptions"/> once, checking each for the mistakes people make (a wrong path, a
/// file the service's user cannot read, a DER or empty file, a key from another certificate) and naming the file in a
/// <see cref="MqttTlsFileException"/>. The client's handshake and every start-up validation use this one reader.
/// </summary>
internal static class MqttTlsFiles
{
    /// <summary>The CA roots (null without a CA file) and the client certificate with its key (null without one); caller disposes.</summary>
    public static (X509Certificate2Collection? Roots, X509Certificate2? Client) Load(MqttTlsOptions options)
    {
        X509Certificate2Collection? roots = null;
        if (options.CaFile is { } caFile)
        {
            var pem = Read(MqttTlsFile.CaFile, caFile, "give the fleet CA's ca.crt");
            roots = [];
            try
            {
                roots.ImportFromPem(pem);
            }
            catch (CryptographicException ex)
            {
                throw new MqttTlsFileException(MqttTlsFile.CaFile, caFile, $"is not a readable PEM certificate file ({ex.Message}); give the fleet CA's ca.crt (PEM, '-----BEGIN CERTIFICATE-----')", ex);
            }
            if (roots.Count == 0)
                throw new MqttTlsFileException(MqttTlsFile.CaFile, caFile, "holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); give the fleet CA's ca.crt (convert DER with `openssl x509 -inform der`)");
        }
        if (options.CertificateFile is not { } certFile || options.KeyFile is not { } keyFile) return (roots, null);

        var certPem = Read(MqttTlsFile.CertificateFile, certFile, "give the NAME.crt that `gatewayctl cert issue` wrote");
        var keyPem = Read(MqttTlsFile.KeyFile, keyFile, "give the NAME.key written beside the certificate");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException ex)
        {
            throw new MqttTlsFileException(MqttTlsFile.CertificateFile, certFile, $"is not a PEM certificate ({ex.Message}); give the NAME.crt that `gatewayctl cert issue` wrote", ex);
        }
        using (certificate)
        {
            if (!HasPrivateKey(keyPem))
                throw new MqttTlsFileException(MqttTlsFile.KeyFile, keyFile, "holds no unencrypted PEM private key ('-----BEGIN PRIVATE KEY-----', EC or RSA); give the NAME.key written beside the certificate");
            try
            {
                using var pair = X509Certificate2.CreateFromPem(certPem, keyPem);
                // Re-imported from PKCS#12 so the key is usable by the platform's TLS stack (an ephemeral PEM key is not on every platform).
                return (roots, X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null));
            }
            // A key of another certificate is an ArgumentException ("does not match the public key"), a damaged one a CryptographicException.
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new MqttTlsFileException(MqttTlsFile.KeyFile, keyFile, $"is not the key of the certificate in {certFile} ({certificate.Subject}); use the .key issued together with that .crt", ex);
            }
        }
    }

    private static string Read(MqttTlsFile which, string path, string whatToGive)
    {
        try
        {
            if (!File.Exists(path)) throw new MqttTlsFileException(which, path, $"does not exist; {whatToGive}");
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MqttTlsFileException(which, path, $"cannot be read ({ex.Message}); it must be readable by the service's user", ex);
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
