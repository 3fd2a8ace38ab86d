using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gateway.TestKit.Io;

namespace Gateway.Ingest.Tests.Configuration;

/// <summary>
/// Makes the files a sample configuration names under a stand-in directory: NAME.crt with its NAME.key (a certificate
/// usable for both server and client TLS, key mode 0600), a lone .crt (a CA), and any other file as a 0600 secret.
/// </summary>
internal static partial class SampleFiles
{
    public static void Create(TempDirectory dir, string configText)
    {
        foreach (var path in FilePath(dir.Path).Matches(configText).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (path.EndsWith(".key", StringComparison.Ordinal) || File.Exists(path)) continue;
            if (!path.EndsWith(".crt", StringComparison.Ordinal))
            {
                dir.Secret(Path.GetRelativePath(dir.Path, path), "sample-secret\n");
                continue;
            }
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={Path.GetFileNameWithoutExtension(name)}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            File.WriteAllText(path, cert.ExportCertificatePem());
            dir.Secret(Path.GetRelativePath(dir.Path, Path.ChangeExtension(path, ".key")), key.ExportPkcs8PrivateKeyPem());
        }
    }

    private static Regex FilePath(string root) => new(Regex.Escape(root + "/") + "[A-Za-z0-9_./-]+", RegexOptions.CultureInvariant);
}
