namespace Gateway.Cli.Tests;

public sealed class ConfigValidateTests
{
    [Fact]
    public void Validate_ShippedDemoProfile_ExitsZeroAndSummarises()
    {
        var (code, output, error) = Run("config", "validate", Path.Combine(RepoFolder("firmware-config/profiles"), "demo-checkpoint.json"));
        Assert.Equal(0, code);
        Assert.Contains("valid: gateway cp-alpha-01", output);
        Assert.Contains("gps 'gps'", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void Validate_BadProfile_ExitsNonZeroNamingTheKey()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h", "port": 0 }, "sources": [] }""");
            var (code, _, error) = Run("config", "validate", path);
            Assert.Equal(1, code);
            Assert.Contains("'broker.port' must be between 1 and 65535; got 0", error);
            Assert.Single(error.Split('\n'), l => l.Contains("'broker.port'", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_ReportsEveryProblemOnce_OneLineEach()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "gatewayId": "Bad", "site": { "name": "s", "latitude": 100 }, "broker": { "host": "h", "prot": 1 }, "sources": [ { "type": "counter", "name": "c" } ] }""");
            var (code, _, error) = Run("config", "validate", path, "--schema", SchemaPath());
            Assert.Equal(1, code);
            Assert.Contains("'gatewayId' must match", error);
            Assert.Contains("'site.longitude' is required", error);
            Assert.Contains("'site.latitude' must be at most 90; got 100", error);
            Assert.Contains("'broker.prot' is not a known setting here (misspelt?)", error);
            Assert.Contains("'sources[0].ratePerSecond' is required", error);
            Assert.Contains("5 problem(s)", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_BadPps_OneLinePerProblem()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" },
                  "sources": [ { "type": "gps", "name": "gps", "pps": { "line": 2000, "edge": "up", "pin": 12 } } ] }
                """);
            var (code, _, error) = Run("config", "validate", path, "--schema", SchemaPath());
            Assert.Equal(1, code);
            Assert.Contains("'sources[0].pps.line' must be at most 1023; got 2000", error);
            Assert.Contains("'sources[0].pps.edge' must be one of \"rising\", \"falling\"; got \"up\"", error);
            Assert.Contains("'sources[0].pps.pin' is not a known setting here", error);
            Assert.Contains("3 problem(s)", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_GpsWithPps_SaysTheUnitWillAllowItsGpioChip()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { "gatewayId": "ok", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" }, "hardware": "linux",
                  "sources": [ { "type": "gps", "name": "gps", "device": "/dev/ttyACM0", "pps": { "gpioChip": 1, "line": 18 } } ] }
                """);
            var (code, output, error) = Run("config", "validate", path, "--schema", SchemaPath());
            Assert.True(code == 0, error);
            Assert.Contains("the unit will allow /dev/ttyACM0, /dev/gpiochip1", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_AgainstABootConfigWithoutTheOverlays_NamesEachMissingInterface()
    {
        var boot = Path.GetTempFileName();
        try
        {
            File.WriteAllText(boot, "dtparam=audio=on\ndtparam=i2c_arm=on\n");
            var (code, _, error) = Run("config", "validate", DemoProfile(), "--boot-config", boot);
            Assert.Equal(1, code);
            Assert.Contains("source 'gps' (gps on /dev/serial0) needs UART", error);
            Assert.Contains("'enable_uart=1'", error);
            Assert.Contains("needs SPI", error);
            Assert.Contains("needs 1-Wire", error);
            Assert.DoesNotContain("needs I2C", error);

            File.AppendAllText(boot, "enable_uart=1\ndtoverlay=disable-bt\ndtparam=spi=on\ndtoverlay=w1-gpio,gpiopin=26\n");
            var (ok, output, _) = Run("config", "validate", DemoProfile(), "--boot-config", boot);
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
        var profiles = Directory.GetFiles(RepoFolder("firmware-config"), "*.json", SearchOption.AllDirectories)
            .Where(IsProfile).ToList();
        Assert.True(profiles.Count >= 2, string.Join(", ", profiles));
        foreach (var profile in profiles)
        {
            var (code, output, error) = Run("config", "validate", profile, "--schema", SchemaPath());
            Assert.True(code == 0, $"{profile}: {output}{error}");
        }
    }

    private static bool IsProfile(string path)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path),
            new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("gatewayId", out _);
    }

    private static string DemoProfile() => Path.Combine(RepoFolder("firmware-config/profiles"), "demo-checkpoint.json");

    private static string SchemaPath() => Path.Combine(RepoFolder("firmware-config/schema"), "gateway-profile.schema.json");

    [Fact]
    public void Unknown_Command_ExitsNonZero()
    {
        var (code, _, _) = Run("frobnicate");
        Assert.NotEqual(0, code);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string RepoFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(relative);
    }
}
