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
        var (code, _, error) = CliRunner.Run("pub", "-h", "127.0.0.1", "-p", port, "-t", "site/a", "-m", "hello", "-q", qos, "-r", "-V", version);
        Assert.True(code == 0, error);
        (code, var output, error) = CliRunner.Run("sub", "-h", "127.0.0.1", "-p", port, "-t", "site/#", "-C", "1", "-v", "-V", version);
        Assert.True(code == 0, error);
        Assert.Equal("site/a hello" + Environment.NewLine, output);
    }

    [Fact]
    public void Pub_RefusedConnection_PrintsReasonAndExitsNonZero()
    {
        var (code, _, error) = CliRunner.Run("pub", "-h", "127.0.0.1", "-p", "1", "-t", "a", "-m", "x");
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
            var (code, _, error) = CliRunner.Run("pub", "-h", "127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        var (code, _, error) = CliRunner.Run("pub", "-t", "a");
        Assert.Equal(1, code);
        Assert.Contains("exactly one of -m", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sub_FormatsWithF_SkipsRetainedWithR_AndGivesUpAfterW()
    {
        await using var server = await MosquittoServer.StartAsync();
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, CliRunner.Run("pub", "-h", "127.0.0.1", "-p", port, "-t", "site/a", "-m", "old", "-q", "1", "-r").Code);

        var (code, output, error) = CliRunner.Run("sub", "-h", "127.0.0.1", "-p", port, "-t", "site/#", "-C", "1", "-q", "1", "-V", "mqttv5", "-F", "%t|%p|%q|%r|%l|%x|%%", "-N");
        Assert.True(code == 0, error);
        Assert.Equal("site/a|old|1|1|3|6f6c64|%", output);

        // -R: the retained (stale) message is not printed; -W 1 then ends the wait, exit 2 because -C was not reached.
        (code, output, _) = CliRunner.Run("sub", "-h", "127.0.0.1", "-p", port, "-t", "site/#", "-C", "1", "-R", "-W", "1");
        Assert.Equal((2, ""), (code, output));
    }

    [Fact]
    public async Task Pub_S_SendsAllOfStdinAsOneMessage()
    {
        await using var server = await MosquittoServer.StartAsync();
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "gatewayctl.dll"), "pub", "-h", "127.0.0.1", "-p", port, "-t", "site/s", "-s", "-r", "-q", "1" })
            info.ArgumentList.Add(a);
        using (var pub = System.Diagnostics.Process.Start(info)!)
        {
            await pub.StandardInput.WriteAsync("line one\nline two\n");
            pub.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await pub.WaitForExitAsync(cts.Token);
            Assert.True(pub.ExitCode == 0, await pub.StandardError.ReadToEndAsync(cts.Token));
        }
        var (code, output, error) = CliRunner.Run("sub", "-h", "127.0.0.1", "-p", port, "-t", "site/s", "-C", "1", "-N");
        Assert.True(code == 0, error);
        Assert.Equal("line one\nline two\n", output);
    }
}
