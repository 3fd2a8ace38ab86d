using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.TestKit.Tls;

/// <summary>
/// A throw-away CA with a server certificate (localhost, 127.0.0.1) and a client certificate, as PEM files mosquitto
/// reads; the MQTT client's TLS tests and the ingest's TLS settings tests share it.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("mqtt-tls-").FullName;

    public TestCertificates(string name = "ca", bool expiredServer = false, bool expiredClient = false)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Test {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Write("ca.pem", ca.ExportCertificatePem());
        (ServerCertFile, ServerKeyFile) = Issue(ca, "server", serverAuth: true, expiredServer);
        (ClientCertFile, ClientKeyFile) = Issue(ca, "client", serverAuth: false, expiredClient);
    }

    public string CaFile { get; }
    public string ServerCertFile { get; }
    public string ServerKeyFile { get; }
    public string ClientCertFile { get; }
    public string ClientKeyFile { get; }

    /// <summary>The directory holding the files; a test may add its own (a damaged copy, a second key).</summary>
    public string Directory => _dir;

    private (string Cert, string Key) Issue(X509Certificate2 ca, string cn, bool serverAuth, bool expired)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-10) : DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-1) : DateTimeOffset.UtcNow.AddDays(10);
        using var cert = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return (Write($"{cn}.pem", cert.ExportCertificatePem()), Write($"{cn}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string file, string pem)
    {
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, pem + "\n");
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);
}
