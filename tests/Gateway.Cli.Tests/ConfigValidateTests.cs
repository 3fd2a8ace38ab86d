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
        }
        finally
        {
            File.Delete(path);
        }
    }

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
