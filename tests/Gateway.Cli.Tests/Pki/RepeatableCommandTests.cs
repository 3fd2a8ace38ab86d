using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests.Pki;

/// <summary>
/// docs/engineers.md: "every command is repeatable". A second `ca init` or `cert issue` of the same thing changes
/// nothing and exits 0; a different thing in the way is refused (exit 1) saying what differs, and nothing is overwritten.
/// </summary>
public sealed class RepeatableCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("repeat");

    [Fact]
    public void CaInit_Twice_KeepsTheCa_AndSaysNothingChanged()
    {
        var ca = _dir.File("ca");
        Assert.Equal(0, CliRunner.Run("ca", "init", "--dir", ca).Code);
        var before = Snapshot(ca);

        var (code, output, error) = CliRunner.Run("ca", "init", "--dir", ca);

        Assert.Equal((0, ""), (code, error));
        Assert.Contains("already exists; nothing was changed", output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ca));
    }

    [Fact]
    public void CaInit_OverAnotherCasName_IsRefused_AndChangesNothing()
    {
        var ca = _dir.File("ca");
        CliRunner.Run("ca", "init", "--dir", ca, "--name", "North fleet");
        var before = Snapshot(ca);

        var (code, _, error) = CliRunner.Run("ca", "init", "--dir", ca, "--name", "South fleet");

        Assert.Equal(1, code);
        Assert.Contains("already holds the fleet CA 'North fleet', not 'South fleet'; nothing was changed", error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ca));
    }

    [Fact]
    public void CertIssue_Twice_KeepsTheCertificateAndKey_AndSaysSo()
    {
        var (ca, certs) = (_dir.File("ca"), _dir.File("certs"));
        CliRunner.Run("ca", "init", "--dir", ca);
        string[] issue = ["cert", "issue", "broker-hq", "--ca", ca, "--out", certs, "--role", "broker", "--dns", "mqtt.example", "--ip", "10.0.0.5"];
        Assert.Equal(0, CliRunner.Run(issue).Code);
        var before = Snapshot(certs);
        var index = File.ReadAllText(Path.Combine(ca, "index.json"));

        var (code, output, error) = CliRunner.Run(issue);

        Assert.Equal((0, ""), (code, error));
        Assert.Contains("broker-hq already has this broker certificate, valid until", output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(certs));
        Assert.Equal(index, File.ReadAllText(Path.Combine(ca, "index.json"))); // no second serial issued
    }

    [Theory]
    [InlineData("--role", "operator", "is broker-hq's broker certificate, not a operator one")]
    [InlineData("--dns", "other.example", "names other hosts (mqtt.example) than asked (other.example)")]
    public void CertIssue_AgainWithADifferentRequest_IsRefused_SayingWhatDiffers(string option, string value, string expected)
    {
        var (ca, certs) = (_dir.File("ca"), _dir.File("certs"));
        CliRunner.Run("ca", "init", "--dir", ca);
        CliRunner.Run("cert", "issue", "broker-hq", "--ca", ca, "--out", certs, "--role", "broker", "--dns", "mqtt.example");
        var before = Snapshot(certs);
        string[] again = option == "--role"
            ? ["cert", "issue", "broker-hq", "--ca", ca, "--out", certs, "--role", value]
            : ["cert", "issue", "broker-hq", "--ca", ca, "--out", certs, "--role", "broker", option, value];

        var (code, _, error) = CliRunner.Run(again);

        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(certs));
    }

    [Fact]
    public void CertIssue_AfterRevoke_IsRefused_SayingItWasRevoked()
    {
        var (ca, certs) = (_dir.File("ca"), _dir.File("certs"));
        CliRunner.Run("ca", "init", "--dir", ca);
        CliRunner.Run("cert", "issue", "gw-7", "--ca", ca, "--out", certs, "--role", "gateway");
        CliRunner.Run("cert", "revoke", "gw-7", "--ca", ca);

        var (code, _, error) = CliRunner.Run("cert", "issue", "gw-7", "--ca", ca, "--out", certs, "--role", "gateway");

        Assert.Equal(1, code);
        Assert.Contains("already exists but was revoked on", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_PrintsOneLineNamingIt_AndWhereTheUsageIs_NotTheWholeHelp()
    {
        var (code, output, error) = CliRunner.Run("ca", "init", "--dir", _dir.File("ca"), "--colour", "blue");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("gatewayctl ca init: ", StringComparison.Ordinal) && l.Contains("'--colour'", StringComparison.Ordinal));
        Assert.Equal("Run 'gatewayctl ca init --help' for its arguments and options.", lines[^1].TrimEnd('\r'));
        Assert.True(lines.Length <= 3, $"expected a short error, got {lines.Length} lines:\n{error}");
        Assert.False(Directory.Exists(_dir.File("ca")), "a command line that does not parse must not run");
    }

    [Fact]
    public void Help_StillPrintsTheUsage()
    {
        var (code, output, _) = CliRunner.Run("cert", "issue", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--role", output, StringComparison.Ordinal);
    }

    /// <summary>Every file's bytes, mode and modification time: what "nothing changed" means.</summary>
    private static string Snapshot(string directory) => string.Join("\n", Directory.GetFiles(directory).Order(StringComparer.Ordinal).Select(f =>
        $"{Path.GetFileName(f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))} {File.GetUnixFileMode(f)} {File.GetLastWriteTimeUtc(f).Ticks}"));

    public void Dispose() => _dir.Dispose();
}
