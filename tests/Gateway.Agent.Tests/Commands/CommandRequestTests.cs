using System.Text;
using Gateway.Agent.Commands;

namespace Gateway.Agent.Tests.Commands;

/// <summary>Validation of commands as they arrive from the network: bounded, JSON objects only, replies only under our own reply/.</summary>
public sealed class CommandRequestTests
{
    private const string Reply = "fleet/gw-1/reply/alice/abc";

    private static (bool Answerable, CommandRequest? Request, string? Refusal) Parse(string topic, string payload, string? reply = Reply, byte[]? corr = null)
    {
        var answerable = CommandRequest.TryParse("gw-1", topic, Encoding.UTF8.GetBytes(payload), reply, corr ?? [1, 2, 3], out var r, out var why);
        return (answerable, r, why);
    }

    [Fact]
    public void ValidCommand_WithArguments()
    {
        var (ok, r, why) = Parse("cmd/gw-1/set-rate", """{"source":"c","ratePerSecond":2}""");
        Assert.True(ok);
        Assert.Null(why);
        Assert.Equal("set-rate", r!.Name);
        Assert.Equal(2, r.Arguments.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(Reply, r.ResponseTopic);
        Assert.Equal(new byte[] { 1, 2, 3 }, r.CorrelationData.ToArray());
    }

    [Theory]
    [InlineData("fleet/gw-1/reply/alice/abc", "alice")]
    [InlineData("fleet/gw-1/reply/bob", "bob")]
    public void Requester_IsTheOperatorLevelOfTheReplyTopic(string reply, string requester) =>
        Assert.Equal(requester, Parse("cmd/gw-1/status", "", reply).Request!.Requester);

    [Fact]
    public void Requester_IsShortened_WhenTheReplyTopicNamesAHugeOne() =>
        Assert.Equal(new string('x', 64) + "...", Parse("cmd/gw-1/status", "", "fleet/gw-1/reply/" + new string('x', 150) + "/1").Request!.Requester);

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void EmptyPayload_IsNoArguments(string payload) =>
        Assert.Empty(Parse("cmd/gw-1/status", payload).Request!.Arguments.EnumerateObject());

    [Theory]
    [InlineData("cmd/gw-1/rm -rf /", "", "unknown command")]
    [InlineData("cmd/gw-1/shell", "", "unknown command")]
    [InlineData("cmd/gw-2/status", "", "unknown command")]
    [InlineData("cmd/gw-1/status", "[1,2]", "one JSON object")]
    [InlineData("cmd/gw-1/status", "\"x\"", "one JSON object")]
    [InlineData("cmd/gw-1/status", "{\"a\":", "not valid JSON")]
    [InlineData("cmd/gw-1/set-rate", "{\"source\":\"a\",\"source\":\"b\",\"ratePerSecond\":2}", "not valid JSON: Duplicate")]
    [InlineData("cmd/gw-1/status", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "not valid JSON")]
    public void Refused_WithAReplySaysWhy(string topic, string payload, string reason)
    {
        var (ok, r, why) = Parse(topic, payload);
        Assert.True(ok);
        Assert.Null(r);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedPayload_IsRefused()
    {
        var (ok, r, why) = Parse("cmd/gw-1/status", "{\"a\":\"" + new string('x', CommandRequest.MaxPayloadBytes) + "\"}");
        Assert.True(ok);
        Assert.Null(r);
        Assert.Contains($"at most {CommandRequest.MaxPayloadBytes}", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fleet/gw-2/reply/alice/x")]
    [InlineData("fleet/gw-1/status")]
    [InlineData("fleet/gw-1/reply/")]
    [InlineData("fleet/gw-1/reply/+/x")]
    [InlineData("fleet/gw-1/reply/#")]
    public void UnusableResponseTopic_IsNotAnswered(string? reply)
    {
        var (ok, r, why) = Parse("cmd/gw-1/restart", "", reply);
        Assert.False(ok);
        Assert.Null(r);
        Assert.NotNull(why);
    }

    [Fact]
    public void OversizedCorrelation_IsNotAnswered() =>
        Assert.False(Parse("cmd/gw-1/status", "", corr: new byte[CommandRequest.MaxCorrelationBytes + 1]).Answerable);

    [Fact]
    public void RandomPayloadsAndNames_NeverThrow_AndOnlyKnownNamesPass()
    {
        // Seeded (this project has no FsCheck reference): random bytes, truncated valid commands, random names.
        var random = new Random(8);
        var valid = Encoding.UTF8.GetBytes("""{"source":"c","ratePerSecond":2}""");
        for (var i = 0; i < 3000; i++)
        {
            var payload = (i % 3) switch
            {
                0 => RandomBytes(random, random.Next(0, 64)),
                1 => valid[..random.Next(0, valid.Length + 1)],
                _ => RandomBytes(random, random.Next(CommandRequest.MaxPayloadBytes - 8, CommandRequest.MaxPayloadBytes + 8)),
            };
            var name = i % 5 == 0 ? CommandRequest.Names[random.Next(CommandRequest.Names.Count)] : Encoding.UTF8.GetString(RandomBytes(random, random.Next(0, 12)));
            var answerable = CommandRequest.TryParse("gw-1", "cmd/gw-1/" + name, payload, Reply, null, out var r, out var why);
            Assert.True(answerable);
            if (r is null) Assert.NotNull(why);
            else Assert.True(CommandRequest.Names.Contains(r.Name) && r.Arguments.ValueKind == System.Text.Json.JsonValueKind.Object);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
