using System.Text;
using System.Text.Json;
using Gateway.Cli.Commands.Cmd;
using Gateway.Mqtt;
using Gateway.TestKit.Servers;

namespace Gateway.Cli.Tests.Cmd;

/// <summary><c>gatewayctl cmd</c>: ARGS to JSON, bad input before connecting, and the request/response against a real mosquitto.</summary>
public sealed class CmdCommandTests
{
    [Fact]
    public void Pairs_BecomeTypedJson()
    {
        var json = Encoding.UTF8.GetString(CommandArguments.ToJson(["source=counter", "ratePerSecond=2.5", "force=true", "note=a=b"]));
        Assert.Equal("""{"source":"counter","ratePerSecond":2.5,"force":true,"note":"a=b"}""", json);
    }

    [Fact]
    public void OneJsonObject_IsSentAsIs_AndNoArgumentsIsEmpty()
    {
        Assert.Equal("""{"source":"c"}""", Encoding.UTF8.GetString(CommandArguments.ToJson(["""{"source":"c"}"""])));
        Assert.Empty(CommandArguments.ToJson([]));
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    [InlineData("{\"a\":")]
    public void BadArguments_AreRefused(string arg) => Assert.Throws<ArgumentException>(() => CommandArguments.ToJson([arg]));

    [Fact]
    public void DuplicateAndOversizedArguments_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => CommandArguments.ToJson(["a=1", "a=2"]));
        Assert.Throws<ArgumentException>(() => CommandArguments.ToJson(["a=" + new string('x', CommandArguments.MaxBytes)]));
    }

    [Theory]
    [InlineData("cmd", "GW/1", "status")]
    [InlineData("cmd", "gw-1", "status/#")]
    [InlineData("cmd", "gw-1", "status", "oops")]
    [InlineData("cmd", "gw-1", "status", "--timeout", "0")]
    [InlineData("cmd", "gw-1", "status", "-W", "0")]
    [InlineData("cmd", "gw-1", "status", "-V", "mqttv311")]
    [InlineData("cmd", "gw-1", "status", "--cert", "/nonexistent.crt")]
    public void BadCommandLines_ExitOne_WithoutConnecting(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(1, GatewayCtl.Run([.. args, "--port", "1"], output, error));
        Assert.Contains("Error:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAndReply_ThroughARealBroker_MatchTheCorrelation()
    {
        await using var broker = await MosquittoServer.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // A stand-in gateway: answers a stale reply first (other correlation data), then the right one.
        var gateway = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "gw-1", ProtocolVersion = MqttProtocolVersion.V500 });
        await using var _ = gateway.ConfigureAwait(false);
        await gateway.ConnectAsync(cts.Token);
        await gateway.SubscribeAsync("cmd/gw-1/+", MqttQos.AtLeastOnce, cts.Token);
        var responder = Task.Run(async () =>
        {
            var request = await gateway.Messages.ReadAsync(cts.Token);
            Assert.Equal("cmd/gw-1/set-rate", request.Topic);
            Assert.StartsWith("fleet/gw-1/reply/operator/", request.ResponseTopic, StringComparison.Ordinal);
            using var args = JsonDocument.Parse(request.Payload);
            Assert.Equal(2, args.RootElement.GetProperty("ratePerSecond").GetDouble());
            await gateway.PublishAsync(new MqttApplicationMessage(request.ResponseTopic!, """{"ok":true,"stale":1}"""u8.ToArray()) { CorrelationData = new byte[] { 9 } }, cts.Token);
            await gateway.PublishAsync(new MqttApplicationMessage(request.ResponseTopic!, """{"gateway":"gw-1","ok":false,"error":"nope"}"""u8.ToArray())
                { CorrelationData = request.CorrelationData }, cts.Token);
        });

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Task.Run(() => GatewayCtl.Run(["cmd", "gw-1", "set-rate", "source=c", "ratePerSecond=2", "-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "ops-console"], output, error));
        await responder;

        Assert.Equal(1, code);
        Assert.Equal("""{"gateway":"gw-1","ok":false,"error":"nope"}""", output.ToString().Trim());
        Assert.Contains("refused 'set-rate'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoReply_TimesOut_WithExitTwo()
    {
        await using var broker = await MosquittoServer.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Task.Run(() => GatewayCtl.Run(["cmd", "gw-9", "status", "-W", "1", "-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error));
        Assert.Equal(2, code);
        Assert.Contains("no reply from gw-9 within 1 s", error.ToString(), StringComparison.Ordinal);
    }
}
