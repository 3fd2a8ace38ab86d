namespace Gateway.Ingest.Tests;

public sealed class IngestOptionsTests
{
    [Fact]
    public void Parse_NoArguments_UsesLoopbackDefaults()
    {
        var o = IngestOptions.Parse([], _ => null, out var error);
        Assert.Null(error);
        Assert.Equal("127.0.0.1", o!.BrokerHost);
        Assert.Equal(1883, o.BrokerPort);
        Assert.Equal(new Uri("http://127.0.0.1:8086/"), o.InfluxUrl);
        Assert.Equal("fleet", o.Database);
    }

    [Fact]
    public void Parse_EnvironmentThenArguments_ArgumentsWin()
    {
        var env = new Dictionary<string, string> { ["INGEST_BROKER"] = "b:1", ["INGEST_DATABASE"] = "envdb" };
        var o = IngestOptions.Parse(["--broker", "c:2"], k => env.GetValueOrDefault(k), out _);
        Assert.Equal(("c", 2, "envdb"), (o!.BrokerHost, o.BrokerPort, o.Database));
    }

    [Theory]
    [InlineData(new[] { "--broker", "nope" }, "--broker must be HOST:PORT")]
    [InlineData(new[] { "--influx", "ftp://x" }, "--influx must be an http(s) URL")]
    [InlineData(new[] { "--database" }, "--database needs a value")]
    [InlineData(new[] { "--what" }, "unknown argument '--what'")]
    public void Parse_BadArguments_SayWhatIsWrong(string[] args, string expected)
    {
        Assert.Null(IngestOptions.Parse(args, _ => null, out var error));
        Assert.Contains(expected, error);
    }
}
