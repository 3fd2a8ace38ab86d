using Gateway.TestKit.Servers;

namespace Gateway.Cli.Tests.Mqtt;

/// <summary>gatewayctl pub/sub against a real mosquitto: round trip, and errors that print a reason and exit non-zero.</summary>
public sealed class PubSubTests
{
    [Theory]
    [InlineData("mqttv311", "1")]
    [InlineData("mqttv5", "2")]
    public async Task PubThenSub_RetainedMessage_PrintedWithTopic(string version, string qos)
    {
        await using var server = await MosquittoServer.StartAsync();
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, _, error) = Run("pub", "-h", "127.0.0.1", "-p", port, "-t", "site/a", "-m", "hello", "-q", qos, "-r", "-V", version);
        Assert.True(code == 0, error);
        (code, var output, error) = Run("sub", "-h", "127.0.0.1", "-p", port, "-t", "site/#", "-C", "1", "-v", "-V", version);
        Assert.True(code == 0, error);
        Assert.Equal("site/a hello" + Environment.NewLine, output);
    }

    [Fact]
    public void Pub_RefusedConnection_PrintsReasonAndExitsNonZero()
    {
        var (code, _, error) = Run("pub", "-h", "127.0.0.1", "-p", "1", "-t", "a", "-m", "x");
        Assert.Equal(1, code);
        Assert.Contains("Could not connect", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pub_NotAuthorized_PrintsReasonAndExitsNonZero()
    {
        var acl = Path.GetTempFileName();
        await File.WriteAllTextAsync(acl, "topic readwrite allowed/#\n");
        try
        {
            await using var server = await MosquittoServer.StartAsync($"acl_file {acl}");
            var (code, _, error) = Run("pub", "-h", "127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-t", "denied/x", "-m", "x", "-q", "1", "-V", "mqttv5");
            Assert.Equal(1, code);
            Assert.Contains("NotAuthorized (0x87)", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(acl);
        }
    }

    [Fact]
    public void Pub_NoMessageSource_ExplainsAndExitsNonZero()
    {
        var (code, _, error) = Run("pub", "-t", "a");
        Assert.Equal(1, code);
        Assert.Contains("exactly one of -m", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
