using System.Text;
using System.Text.Json;
using Gateway.Agent.Commands;
using Gateway.TestKit.Io;

namespace Gateway.Agent.Tests.Commands;

/// <summary>Each command against a fake agent: what it answers, what it refuses, and that restart waits for the reply.</summary>
public sealed class CommandExecutorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeAgent _agent;

    public CommandExecutorTests() => _agent = new FakeAgent(Path.Combine(_dir.Path, "profile.json"));

    public void Dispose() => _dir.Dispose();

    private JsonElement Run(string name, string args, out CommandResult result)
    {
        CommandRequest.TryParse("gw-1", $"cmd/gw-1/{name}", Encoding.UTF8.GetBytes(args), "fleet/gw-1/reply/op/1", null, out var request, out var why);
        Assert.True(request is not null, why);
        result = new CommandExecutor(_agent).Execute(request);
        using var doc = JsonDocument.Parse(result.ToJson("gw-1", name));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Reply_IsReadableText_ApostrophesAndUnitsAreNotEscaped()
    {
        var json = System.Text.Encoding.UTF8.GetString(CommandResult.Refused("the source 'lora' can't go past 2 Hz at 21.5 °C").ToJson("gw-1", "set-rate"));
        Assert.Contains("\"error\":\"the source 'lora' can't go past 2 Hz at 21.5 °C\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        // Still JSON: what needs escaping in JSON is escaped.
        var quoted = System.Text.Encoding.UTF8.GetString(CommandResult.Refused("say \"hi\"\n").ToJson("gw-1", "x"));
        using var doc = JsonDocument.Parse(quoted);
        Assert.Equal("say \"hi\"\n", doc.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Status_ReportsTheSnapshot()
    {
        var reply = Run("status", "", out var result);
        Assert.True(result.Ok);
        Assert.Equal("gw-1", reply.GetProperty("gateway").GetString());
        Assert.True(reply.GetProperty("ok").GetBoolean());
        var r = reply.GetProperty("result");
        Assert.Equal(7, r.GetProperty("backlogBatches").GetInt64());
        Assert.True(r.GetProperty("tls").GetBoolean());
        Assert.Equal(12.5, r.GetProperty("uptimeSeconds").GetDouble());
        Assert.Null(result.AfterReply);
    }

    [Fact]
    public void Status_ListsEachSourcesRate_AndTheProfilesWhileASetRateHoldsIt()
    {
        var sources = Run("status", "", out _).GetProperty("result").GetProperty("sources").EnumerateArray().ToList();

        Assert.Equal(["c", "gps"], sources.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("counter", sources[0].GetProperty("type").GetString());
        Assert.Equal(20, sources[0].GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(5, sources[0].GetProperty("profileRatePerSecond").GetDouble());
        Assert.Equal(JsonValueKind.Null, sources[1].GetProperty("ratePerSecond").ValueKind);
        Assert.False(sources[1].TryGetProperty("profileRatePerSecond", out _));
    }

    [Fact]
    public void Flush_SyncsTheJournal()
    {
        Run("flush", "{}", out var result);
        Assert.True(result.Ok);
        Assert.Equal(1, _agent.Flushes);
    }

    [Theory]
    [InlineData("status", """{"verbose":true}""", "unknown argument 'verbose'")]
    [InlineData("set-rate", """{"source":"c"}""", "set-rate takes")]
    [InlineData("set-rate", """{"source":"c","ratePerSecond":"2"}""", "'ratePerSecond' must be a number")]
    [InlineData("set-rate", """{"source":"c","ratePerSecond":0}""", "above 0")]
    [InlineData("set-rate", """{"source":"c","ratePerSecond":1e9}""", "at most 1000")]
    [InlineData("set-rate", """{"source":"nope","ratePerSecond":1}""", "no source named 'nope'; sources: c, gps")]
    [InlineData("set-rate", """{"source":"gps","ratePerSecond":1}""", "set-rate cannot pace 'gps' (gps): the receiver decides")]
    [InlineData("set-rate", """{"source":"c","ratePerSecond":999}""", "at most 100/s")]
    [InlineData("set-rate", """{"source":"c","ratePerSecond":1,"cmd":"sh"}""", "unknown argument 'cmd'")]
    public void Refusals_SayWhy(string name, string args, string reason)
    {
        var reply = Run(name, args, out var result);
        Assert.False(result.Ok);
        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Contains(reason, reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _agent.Restarts);
    }

    [Fact]
    public void SetRate_OnASourceThatCanChange_SaysTheNewAndPreviousRateAndHowLongItLasts()
    {
        var reply = Run("set-rate", """{"source":"c","ratePerSecond":2.5}""", out var result);
        Assert.True(result.Ok);
        Assert.Equal(("c", 2.5, "op"), _agent.LastRate);
        var r = reply.GetProperty("result");
        Assert.Equal("c", r.GetProperty("source").GetString());
        Assert.Equal(2.5, r.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(20, r.GetProperty("previousRatePerSecond").GetDouble());
        Assert.Contains("until the agent restarts or reload-config", r.GetProperty("lasts").GetString(), StringComparison.Ordinal);
        Assert.Null(result.AfterReply);
    }

    [Fact]
    public void SelfTest_ListsEveryCheck_AndFailsWhenOneFails()
    {
        var reply = Run("self-test", "", out var result).GetProperty("result");
        Assert.True(result.Ok);
        Assert.False(reply.GetProperty("passed").GetBoolean());
        Assert.Equal(["disk", "broker"], reply.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public void Restart_HappensOnlyAfterTheReply()
    {
        Run("restart", "", out var result);
        Assert.True(result.Ok);
        Assert.Equal(0, _agent.Restarts);
        result.AfterReply!();
        Assert.Equal(1, _agent.Restarts);
    }

    [Fact]
    public void ReloadConfig_RefusesABrokenProfile_AndKeepsRunning()
    {
        File.WriteAllText(_agent.ProfilePath, """{ "gatewayId": "gw-1", "site": {} }""");
        var reply = Run("reload-config", "", out var result);
        Assert.False(result.Ok);
        Assert.Contains("keeps running the old one", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(result.AfterReply);
    }

    [Fact]
    public void ReloadConfig_RefusesAnotherGatewaysProfile()
    {
        File.WriteAllText(_agent.ProfilePath, Profile("gw-2"));
        Assert.Contains("not 'gw-1'", Run("reload-config", "", out _).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReloadConfig_ValidProfile_RestartsAfterTheReply()
    {
        File.WriteAllText(_agent.ProfilePath, Profile("gw-1"));
        Run("reload-config", "", out var result);
        Assert.True(result.Ok);
        result.AfterReply!();
        Assert.Equal(1, _agent.Restarts);
    }

    private static string Profile(string id) => $$"""
        { "gatewayId": "{{id}}", "site": { "name": "A", "latitude": 1, "longitude": 2 }, "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }
        """;

    private sealed class FakeAgent(string profilePath) : IAgentControl
    {
        public int Flushes;
        public int Restarts;
        public (string, double, string?) LastRate;

        public string GatewayId => "gw-1";
        public string ProfilePath => profilePath;
        public IReadOnlyDictionary<string, string> Sources { get; } = new Dictionary<string, string> { ["c"] = "counter", ["gps"] = "gps" };

        public AgentStatus Status() => new("p.json", TimeSpan.FromSeconds(12.5), true, true, 7, 4096, null, 3, 300, 310, 0, 0)
        {
            Sources = [new("c", "counter", 20, 5), new("gps", "gps", null, null)],
        };

        public void FlushJournal() => Flushes++;

        public bool TrySetRate(string source, double ratePerSecond, string? requestedBy, out RateChange change, out string? problem)
        {
            change = default;
            problem = source == "gps" ? "set-rate cannot pace 'gps' (gps): the receiver decides"
                : ratePerSecond > 100 ? "999/s is faster than this device can sample: at most 100/s, because ..." : null;
            if (problem is not null) return false;
            LastRate = (source, ratePerSecond, requestedBy);
            change = new RateChange(20, ratePerSecond);
            return true;
        }

        public IReadOnlyList<SelfTestCheck> SelfTest() => [new("disk", true, "1 GiB free"), new("broker", false, "not connected")];

        public void RequestRestart() => Restarts++;
    }
}
