using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.TestKit.Io;

namespace Gateway.Ingest.Tests.Configuration;

/// <summary>
/// dashboard.listen / tls / plainHttp: HTTPS with a checked certificate and key, plain HTTP only when asked for and only
/// on loopback; every bad certificate or key stops the start with one line naming the file and what to do.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardHttpsConfigTests : IDisposable
{
    private const string Account = """ "accounts": [ { "user": "ops", "passwordHash": "pbkdf2-sha256$600000$Bvlu0NqVHKw/gf3/nE0w1A==$FhEIJ4NeO2yyzMRfd2+UTv1hXjVQ2yCgPMPPlgmfhuc=" } ] """;
    private readonly TempDirectory _dir = new("https");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Https_WithTheDashboardCertificate_LoadsItWithItsKey()
    {
        WriteCertificate("d", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var c = Parse("""{ "enabled": true, "listen": "https://0.0.0.0:8443", "tls": { "certFile": "d.crt", "keyFile": "d.key" }, ACCOUNT }""");
        Assert.Equal(new Uri("https://0.0.0.0:8443"), c.Dashboard.Listen);
        Assert.True(c.Dashboard.Tls!.Certificate.HasPrivateKey);
        Assert.Equal(_dir.File("d.key"), c.Dashboard.Tls.KeyFile);
    }

    [Fact]
    public void PlainHttp_OnLoopback_WhenAskedFor_IsAllowed()
    {
        var c = Parse("""{ "enabled": true, "listen": "http://127.0.0.1:8080", "plainHttp": true, ACCOUNT }""");
        Assert.Null(c.Dashboard.Tls);
        Assert.True(c.Dashboard.PlainHttp);
    }

    [Theory]
    [InlineData("""{ "enabled": true, "listen": "http://127.0.0.1:8080", ACCOUNT }""", "'dashboard.listen' is plain HTTP (http://127.0.0.1:8080/): logins and session cookies need HTTPS")]
    [InlineData("""{ "enabled": true, "listen": "http://0.0.0.0:8080", "plainHttp": true, ACCOUNT }""", "'dashboard.plainHttp' only applies to a loopback address (127.0.0.1, ::1, localhost); 0.0.0.0 would carry passwords in clear")]
    [InlineData("""{ "enabled": true, "listen": "https://0.0.0.0:8443", ACCOUNT }""", "'dashboard.tls.certFile' is required to listen on https://0.0.0.0:8443/")]
    [InlineData("""{ "enabled": true, "listen": "https://0.0.0.0:8443", "tls": { "certFile": "x.crt" }, ACCOUNT }""", "'dashboard.tls.keyFile' is required with the other")]
    public void ListenAndTls_Mismatches_AreRefused(string json, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_ReadableByOthers_IsRefused_NamingTheFile()
    {
        WriteCertificate("d", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.SetUnixFileMode(_dir.File("d.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var ex = Assert.Throws<ConfigException>(() => Parse(Https("d.crt", "d.key")));
        Assert.Contains($"'dashboard.tls.keyFile' cannot be used: {_dir.File("d.key")} is readable by group or others (mode 0604); run 'chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_OfAnotherCertificate_IsRefused_NamingBothFiles()
    {
        WriteCertificate("a", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        WriteCertificate("b", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var ex = Assert.Throws<ConfigException>(() => Parse(Https("a.crt", "b.key")));
        Assert.Contains($"'dashboard.tls.keyFile' names {_dir.File("b.key")}, which is not the key of the certificate in {_dir.File("a.crt")}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateFile_ThatIsNotPem_IsRefused()
    {
        WriteCertificate("d", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(_dir.File("d.crt"), "not a certificate\n");
        var ex = Assert.Throws<ConfigException>(() => Parse(Https("d.crt", "d.key")));
        Assert.Contains($"'dashboard.tls.certFile' names {_dir.File("d.crt")}, which holds no PEM certificate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiredCertificate_IsRefused_SayingWhen()
    {
        WriteCertificate("d", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var ex = Assert.Throws<ConfigException>(() => Parse(Https("d.crt", "d.key")));
        Assert.Contains($"'dashboard.tls.certFile' names {_dir.File("d.crt")}, which expired on", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientCertificate_IsRefused_AsNotAServerCertificate()
    {
        WriteCertificate("d", serverAuth: false, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var ex = Assert.Throws<ConfigException>(() => Parse(Https("d.crt", "d.key")));
        Assert.Contains("which is not a server certificate (no serverAuth usage); issue one with --role dashboard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpOverride_MustFitTheFilesTlsSettings()
    {
        WriteCertificate("d", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = _dir.File("central.json");
        File.WriteAllText(path, "{ \"dashboard\": " + Https("d.crt", "d.key").Replace("ACCOUNT", Account, StringComparison.Ordinal) + " }");
        var https = IngestOptions.Parse(["--config", path, "--http", "https://127.0.0.1:9443"], _ => null, out _)!.Resolve();
        Assert.Equal(new Uri("https://127.0.0.1:9443"), https.Dashboard.Listen);
        var ex = Assert.Throws<ConfigException>(() => IngestOptions.Parse(["--config", path, "--http", "http://127.0.0.1:9080"], _ => null, out _)!.Resolve());
        Assert.Contains("--http http://127.0.0.1:9080/: 'dashboard.listen' is http://127.0.0.1:9080/ but tls.certFile is set", ex.Message, StringComparison.Ordinal);
    }

    private static string Https(string crt, string key) =>
        $$"""{ "enabled": true, "listen": "https://127.0.0.1:8443", "tls": { "certFile": "{{crt}}", "keyFile": "{{key}}" }, ACCOUNT }""";

    private CentralConfig Parse(string dashboard) =>
        CentralConfigLoader.Parse(Encoding.UTF8.GetBytes("{ \"dashboard\": " + dashboard.Replace("ACCOUNT", Account, StringComparison.Ordinal) + " }"), "t.json", _dir.Path);

    /// <summary>A self-signed certificate NAME.crt and its key NAME.key (0600), as gatewayctl cert issue writes them.</summary>
    private void WriteCertificate(string name, bool serverAuth, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(_dir.File($"{name}.crt"), cert.ExportCertificatePem());
        _dir.Secret($"{name}.key", key.ExportPkcs8PrivateKeyPem());
    }
}
