using Gateway.Core.Tls;
using Gateway.TestKit.Tls;

namespace Gateway.Mqtt.Tests.Tls;

/// <summary>Each TLS file mistake is reported before any connection, naming the file and what to give instead.</summary>
public sealed class MqttTlsFilesTests
{
    [Fact]
    public void Verify_GoodFiles_ReturnsTheClientCertificatesValidity()
    {
        using var certs = new TestCertificates();
        var validity = Options(certs).Verify();
        Assert.NotNull(validity);
        Assert.Equal("CN=client", validity.Value.Subject);
        Assert.True(validity.Value.NotAfter > DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData(TlsFile.CaFile, "missing", "does not exist; give the fleet CA's ca.crt")]
    [InlineData(TlsFile.CaFile, "der", "holds no PEM certificate")]
    [InlineData(TlsFile.CertificateFile, "missing", "does not exist; give the NAME.crt")]
    [InlineData(TlsFile.CertificateFile, "garbage", "holds no PEM certificate")]
    [InlineData(TlsFile.KeyFile, "missing", "does not exist; give the NAME.key")]
    [InlineData(TlsFile.KeyFile, "garbage", "holds no unencrypted PEM private key")]
    [InlineData(TlsFile.KeyFile, "other-key", "is not the key of the certificate in")]
    public void Verify_BadFile_NamesTheFileAndWhatToDo(TlsFile which, string damage, string expected)
    {
        using var certs = new TestCertificates();
        using var other = new TestCertificates("other");
        var path = Path.Combine(certs.Directory, "damaged");
        switch (damage)
        {
            case "der": File.WriteAllBytes(path, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(certs.CaFile).RawData); break;
            case "garbage": File.WriteAllText(path, "not a pem file\n"); break;
            case "other-key": path = other.ClientKeyFile; break;
        }
        var options = which switch
        {
            TlsFile.CaFile => Options(certs, ca: path),
            TlsFile.CertificateFile => Options(certs, cert: path),
            _ => Options(certs, key: path),
        };

        var ex = Assert.Throws<TlsFileException>(() => options.Verify());

        Assert.Equal((which, path), (ex.File, ex.FilePath));
        Assert.Contains(expected, ex.Problem, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        // The client refuses the same files the same way, at construction.
        Assert.Throws<TlsFileException>(() => new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = 1, ClientId = "t", Tls = options }));
    }

    private static MqttTlsOptions Options(TestCertificates c, string? ca = null, string? cert = null, string? key = null) => new()
    {
        CaFile = ca ?? c.CaFile,
        CertificateFile = cert ?? c.ClientCertFile,
        KeyFile = key ?? c.ClientKeyFile,
    };
}
