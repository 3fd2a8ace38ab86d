using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Cli.Commands.Broker;
using Gateway.Cli.Pki;
using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests.Pki;

public sealed class FleetCaTests : IDisposable
{
    private readonly TempDirectory _dir = new("ca-test");

    [Fact]
    public void Init_WritesCaCertificateAndKey0600_AndAnEmptyCrl()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);

        Assert.Equal(PemFiles.PrivateMode, File.GetUnixFileMode(ca.KeyPath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(ca.KeyPath), StringComparison.Ordinal);
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(ca.CertificatePath));
        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(basic.CertificateAuthority);
        Assert.True(basic.HasPathLengthConstraint);
        Assert.Equal(0, basic.PathLengthConstraint);
        Assert.Contains("-----BEGIN X509 CRL-----", File.ReadAllText(ca.CrlPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Init_Twice_RefusesToReplaceTheKey()
    {
        using (FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System)) { }
        var key = File.ReadAllText(_dir.File("ca/ca.key"));
        var ex = Assert.Throws<PkiException>(() => FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal(key, File.ReadAllText(_dir.File("ca/ca.key")));
    }

    [Theory]
    [InlineData(CertificateRole.Gateway, "1.3.6.1.5.5.7.3.2")]
    [InlineData(CertificateRole.Operator, "1.3.6.1.5.5.7.3.2")]
    [InlineData(CertificateRole.Ingest, "1.3.6.1.5.5.7.3.2")]
    public void Issue_ClientRoles_CnIsTheName_ClientAuth_ChainsToTheCa(CertificateRole role, string eku)
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var (crt, key) = ca.Issue(new IssueRequest("cp-alpha-01", role), _dir.File("out"));

        Assert.Equal(_dir.File("out/cp-alpha-01.crt"), crt);
        Assert.Equal(PemFiles.PrivateMode, File.GetUnixFileMode(key));
        using var cert = X509Certificate2.CreateFromPemFile(crt, key);
        Assert.Equal("cp-alpha-01", cert.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains($"OU={role.Name()}", cert.Subject, StringComparison.Ordinal);
        Assert.Equal(eku, Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.True(cert.HasPrivateKey);
        AssertChains(ca, cert);
    }

    [Theory]
    [InlineData(CertificateRole.Broker)]
    [InlineData(CertificateRole.Dashboard)]
    public void Issue_Server_CarriesItsHostNamesAndAddresses_ServerAuth(CertificateRole role)
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var (crt, _) = ca.Issue(new IssueRequest("server", role)
        {
            DnsNames = ["mqtt.hq.example", "localhost"],
            Addresses = [IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback],
        }, _dir.File("out"));

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(crt));
        Assert.True(cert.MatchesHostname("mqtt.hq.example"));
        Assert.True(cert.MatchesHostname("10.0.0.5"));
        Assert.True(cert.MatchesHostname("::1"));
        Assert.False(cert.MatchesHostname("other.example"));
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
    }

    [Theory]
    [InlineData(CertificateRole.Broker)]
    [InlineData(CertificateRole.Dashboard)]
    public void Issue_ServerWithoutHosts_IsRefused(CertificateRole role)
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var ex = Assert.Throws<PkiException>(() => ca.Issue(new IssueRequest("server", role), _dir.File("out")));
        Assert.Contains($"a {role.Name()} certificate needs the names clients connect to", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a#")]
    [InlineData("-lead")]
    [InlineData("a b")]
    public void Issue_NameUnusableAsMqttUser_IsRefused(string name)
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var ex = Assert.Throws<PkiException>(() => ca.Issue(new IssueRequest(name, CertificateRole.Gateway), _dir.File("out")));
        Assert.Contains("not a usable certificate name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_SameNameOtherRole_IsRefused_UntilRevoked()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        ca.Issue(new IssueRequest("alice", CertificateRole.Operator), _dir.File("op"));

        var ex = Assert.Throws<PkiException>(() => ca.Issue(new IssueRequest("alice", CertificateRole.Gateway), _dir.File("gw")));
        Assert.Contains("one name has one role", ex.Message, StringComparison.Ordinal);

        ca.Revoke("alice");
        ca.Issue(new IssueRequest("alice", CertificateRole.Gateway), _dir.File("gw"));
    }

    [Fact]
    public void Issue_ExistingFiles_AreNeverOverwritten()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var (_, key) = ca.Issue(new IssueRequest("gw1", CertificateRole.Gateway), _dir.File("out"));
        var before = File.ReadAllText(key);
        Assert.Throws<PkiException>(() => ca.Issue(new IssueRequest("gw1", CertificateRole.Gateway), _dir.File("out")));
        Assert.Equal(before, File.ReadAllText(key));
    }

    [Fact]
    public void Revoke_PutsEverySerialOfTheNameInTheCrl_AndIncrementsTheCrlNumber()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        ca.Issue(new IssueRequest("gw1", CertificateRole.Gateway), _dir.File("a"));
        ca.Issue(new IssueRequest("gw1", CertificateRole.Gateway), _dir.File("b"));
        ca.Issue(new IssueRequest("gw2", CertificateRole.Gateway), _dir.File("a"));
        var numberBefore = CaIndex.Load(ca.Directory).CrlNumber;

        var revoked = ca.Revoke("gw1");

        Assert.Equal(2, revoked.Count);
        CertificateRevocationListBuilder.LoadPem(File.ReadAllText(ca.CrlPath), out var crlNumber);
        Assert.Equal(numberBefore + 1, (int)crlNumber);
        var index = CaIndex.Load(ca.Directory);
        Assert.All(index.Certificates.Where(c => c.Name == "gw1"), c => Assert.NotNull(c.RevokedAt));
        Assert.Null(index.Certificates.Single(c => c.Name == "gw2").RevokedAt);
        Assert.Empty(ca.Revoke("gw1"));
    }

    [Fact]
    public void Revoke_UnknownName_SaysSo()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var ex = Assert.Throws<PkiException>(() => ca.Revoke("nobody"));
        Assert.Contains("never issued", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoke_ListsTheCertificatesSerialInTheSignedCrl()
    {
        using var ca = FleetCa.Init(_dir.File("ca"), "Fleet", TimeProvider.System);
        var (crt, _) = ca.Issue(new IssueRequest("gw1", CertificateRole.Gateway), _dir.File("a"));
        ca.Revoke("gw1");
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(crt));
        var crlDer = PemEncodingDer(File.ReadAllText(ca.CrlPath));
        var serials = ParseCrlSerials(crlDer);
        Assert.Contains(cert.SerialNumber, serials);
    }

    [Fact]
    public void Acl_GrantsGatewaysByPattern_AndTakesThePatternsAwayFromEveryOtherName()
    {
        var now = DateTimeOffset.UtcNow;
        var acl = BrokerAcl.Render(
        [
            new IssuedCertificate { Serial = "01", Name = "gw1", Role = CertificateRole.Gateway, NotAfter = now.AddDays(1) },
            new IssuedCertificate { Serial = "02", Name = "ingest-1", Role = CertificateRole.Ingest, NotAfter = now.AddDays(1) },
            new IssuedCertificate { Serial = "03", Name = "alice", Role = CertificateRole.Operator, NotAfter = now.AddDays(1) },
            new IssuedCertificate { Serial = "04", Name = "bob", Role = CertificateRole.Operator, NotAfter = now.AddDays(1), RevokedAt = now },
            new IssuedCertificate { Serial = "05", Name = "carol", Role = CertificateRole.Operator, NotAfter = now.AddDays(-1) },
            new IssuedCertificate { Serial = "06", Name = "broker-hq", Role = CertificateRole.Broker, NotAfter = now.AddDays(1) },
            // A name revoked as an operator and issued again as a gateway is a gateway now.
            new IssuedCertificate { Serial = "07", Name = "gw2", Role = CertificateRole.Operator, NotAfter = now.AddDays(1), RevokedAt = now },
            new IssuedCertificate { Serial = "08", Name = "gw2", Role = CertificateRole.Gateway, NotAfter = now.AddDays(1) },
        ], now);

        Assert.Contains("pattern write fleet/%u/telemetry\npattern write fleet/%u/events\npattern write fleet/%u/status\npattern write fleet/%u/reply/#\npattern read cmd/%u/+\n", acl, StringComparison.Ordinal);
        Assert.Contains("user ingest-1\ntopic deny fleet/ingest-1/#\ntopic deny cmd/ingest-1/#\ntopic read fleet/#\ntopic write fleet/alerts\n", acl, StringComparison.Ordinal);
        Assert.Contains("user alice\ntopic deny fleet/alice/#\ntopic deny cmd/alice/#\ntopic write cmd/+/+\ntopic read fleet/+/status\ntopic read fleet/+/reply/alice/#\ntopic read fleet/alerts\n", acl, StringComparison.Ordinal);
        // Revoked, expired and non-client names: the gateway patterns taken away, nothing granted.
        foreach (var name in new[] { "bob", "carol", "broker-hq" })
            Assert.Contains($"user {name}\ntopic deny fleet/{name}/#\ntopic deny cmd/{name}/#\n\n", acl + "\n", StringComparison.Ordinal);
        Assert.DoesNotContain("user gw1", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("user gw2", acl, StringComparison.Ordinal);
        Assert.DoesNotContain(acl.Split('\n'), l => !l.StartsWith('#') && l.Contains("$SYS", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertChains(FleetCa ca, X509Certificate2 cert)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    private static byte[] PemEncodingDer(string pem)
    {
        var fields = System.Security.Cryptography.PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    /// <summary>Serials in a CRL (RFC 5280 §5.1: revokedCertificates), via the framework's ASN.1 reader.</summary>
    private static List<string> ParseCrlSerials(byte[] der)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER);
        var tbs = reader.ReadSequence().ReadSequence();
        tbs.ReadInteger(); // version
        tbs.ReadSequence(); // signature algorithm
        tbs.ReadSequence(); // issuer
        tbs.ReadUtcTime(); // thisUpdate
        tbs.ReadUtcTime(); // nextUpdate
        var serials = new List<string>();
        var revoked = tbs.ReadSequence();
        while (revoked.HasData)
        {
            var entry = revoked.ReadSequence();
            serials.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            entry.ReadUtcTime();
            if (entry.HasData) entry.ReadSequence();
        }
        return serials;
    }
}
