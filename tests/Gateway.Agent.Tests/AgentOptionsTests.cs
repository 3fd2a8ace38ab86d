namespace Gateway.Agent.Tests;

public sealed class AgentOptionsTests
{
    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        var o = AgentOptions.Parse(["--profile", "p.json", "--state-dir", "/tmp/s", "--broker", "10.0.0.1:8883"], out var error);
        Assert.Null(error);
        Assert.Equal(new AgentOptions("p.json", "/tmp/s", "10.0.0.1:8883"), o);
    }

    [Theory]
    [InlineData(new string[0], "--profile is required")]
    [InlineData(new[] { "--profile" }, "--profile needs a value")]
    [InlineData(new[] { "--profile", "--state-dir" }, "--profile needs a value")]
    [InlineData(new[] { "--profile", "p", "--verbose" }, "unknown argument '--verbose'")]
    [InlineData(new[] { "--profile", "p", "--broker", "nohost" }, "--broker must be HOST:PORT")]
    [InlineData(new[] { "--profile", "p", "--broker", "h:99999" }, "--broker must be HOST:PORT")]
    public void Parse_BadUsage_SaysWhatIsWrong(string[] args, string expected)
    {
        Assert.Null(AgentOptions.Parse(args, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Run_BadProfile_ExitsWithConfigErrorCode()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{ "gatewayId": "x" }""");
            Assert.Equal(AgentHost.ExitConfig, await AgentHost.RunAsync(["--profile", path]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
