using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests;

public sealed class ConfigValidateTests
{
    [Fact]
    public void Validate_ShippedDemoProfile_ExitsZeroAndSummarises()
    {
        var (code, output, error) = CliRunner.Run("config", "validate", Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "demo-checkpoint.json"));
        Assert.Equal(0, code);
        Assert.Contains("valid: gateway cp-alpha-01", output);
        Assert.Contains("gps 'gps'", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void Validate_BadProfile_ExitsNonZeroNamingTheKey()
    {
        var (code, _, error) = CliRunner.RunOnProfile(["config", "validate"], """{ "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h", "port": 0 }, "sources": [] }""");
        Assert.Equal(1, code);
        Assert.Contains("'broker.port' must be between 1 and 65535; got 0", error);
        Assert.Single(error.Split('\n'), l => l.Contains("'broker.port'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsEveryProblemOnce_OneLineEach()
    {
        var (code, _, error) = CliRunner.RunOnProfile(["config", "validate"], """{ "gatewayId": "Bad", "site": { "name": "s", "latitude": 100 }, "broker": { "host": "h", "prot": 1 }, "sources": [ { "type": "counter", "name": "c" } ] }""", "--schema", SchemaPath());
        Assert.Equal(1, code);
        Assert.Contains("'gatewayId' must match", error);
        Assert.Contains("'site.longitude' is required", error);
        Assert.Contains("'site.latitude' must be at most 90; got 100", error);
        Assert.Contains("'broker.prot' is not a known setting here (misspelt?)", error);
        Assert.Contains("'sources[0].ratePerSecond' is required", error);
        Assert.Contains("5 problem(s)", error);
    }

    [Fact]
    public void Validate_BadPps_OneLinePerProblem()
    {
        var (code, _, error) = CliRunner.RunOnProfile(["config", "validate"], """
            { "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" },
              "sources": [ { "type": "gps", "name": "gps", "pps": { "line": 2000, "edge": "up", "pin": 12 } } ] }
            """, "--schema", SchemaPath());
        Assert.Equal(1, code);
        Assert.Contains("'sources[0].pps.line' must be at most 1023; got 2000", error);
        Assert.Contains("'sources[0].pps.edge' must be one of \"rising\", \"falling\"; got \"up\"", error);
        Assert.Contains("'sources[0].pps.pin' is not a known setting here", error);
        Assert.Contains("3 problem(s)", error);
    }

    [Fact]
    public void Validate_GpsWithPps_SaysTheUnitWillAllowItsGpioChip()
    {
        var (code, output, error) = CliRunner.RunOnProfile(["config", "validate"], """
            { "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" }, "hardware": "linux",
              "sources": [ { "type": "gps", "name": "gps", "device": "/dev/ttyACM0", "pps": { "gpioChip": 1, "line": 18 } } ] }
            """, "--schema", SchemaPath());
        Assert.True(code == 0, error);
        Assert.Contains("the unit will allow /dev/ttyACM0, /dev/gpiochip1", output);
    }

    [Fact]
    public void Validate_AgainstABootConfigWithoutTheOverlays_NamesEachMissingInterface()
    {
        var boot = Path.GetTempFileName();
        try
        {
            File.WriteAllText(boot, "dtparam=audio=on\ndtparam=i2c_arm=on\n");
            var (code, _, error) = CliRunner.Run("config", "validate", DemoProfile(), "--boot-config", boot);
            Assert.Equal(1, code);
            Assert.Contains("source 'gps' (gps on /dev/serial0) needs UART", error);
            Assert.Contains("'enable_uart=1'", error);
            Assert.Contains("needs SPI", error);
            Assert.Contains("needs 1-Wire", error);
            Assert.DoesNotContain("needs I2C", error);

            File.AppendAllText(boot, "enable_uart=1\ndtoverlay=disable-bt\ndtparam=spi=on\ndtoverlay=w1-gpio,gpiopin=26\n");
            var (ok, output, _) = CliRunner.Run("config", "validate", DemoProfile(), "--boot-config", boot);
            Assert.Equal(0, ok);
            Assert.Contains("needs I2C: dtparam=i2c_arm=on", output);
        }
        finally
        {
            File.Delete(boot);
        }
    }

    [Fact]
    public void Schema_AcceptsEveryShippedProfile()
    {
        // Every gateway profile in firmware-config (profiles/, gps/, ...; a profile is a JSON file with a gatewayId), so
        // the schema cannot drift from the agent's loader.
        var profiles = Directory.GetFiles(RepositoryRoot.Folder("firmware-config"), "*.json", SearchOption.AllDirectories)
            .Where(IsProfile).ToList();
        Assert.True(profiles.Count >= 2, string.Join(", ", profiles));
        foreach (var profile in profiles)
        {
            var (code, output, error) = CliRunner.Run("config", "validate", profile, "--schema", SchemaPath());
            Assert.True(code == 0, $"{profile}: {output}{error}");
        }
    }

    private static bool IsProfile(string path)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path),
            new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("gatewayId", out _);
    }

    private static string DemoProfile() => Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "demo-checkpoint.json");

    private static string SchemaPath() => Path.Combine(RepositoryRoot.Folder("firmware-config/schema"), "gateway-profile.schema.json");

    [Fact]
    public void Unknown_Command_ExitsNonZero()
    {
        var (code, _, _) = CliRunner.Run("frobnicate");
        Assert.NotEqual(0, code);
    }
}
