using System.Globalization;
using System.Text.Json;
using Gateway.Agent.Profiles;

namespace Gateway.Agent.Commands;

/// <summary>
/// Runs one validated <see cref="CommandRequest"/> against the agent. Each command reads only the arguments it knows
/// and refuses any other key (a misspelt argument silently ignored is an operator who believes something happened).
/// No command runs a process or a shell (DESIGN §4.5): each is a fixed action on <see cref="IAgentControl"/>.
/// </summary>
public sealed class CommandExecutor(IAgentControl agent)
{
    public CommandResult Execute(CommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = request.Arguments;
        return request.Name switch
        {
            "status" => NoArguments(args) ?? Status(),
            "flush" => NoArguments(args) ?? Flush(),
            "set-rate" => SetRate(args, request.Requester),
            "reload-config" => NoArguments(args) ?? ReloadConfig(),
            "self-test" => NoArguments(args) ?? SelfTest(),
            "restart" => NoArguments(args) ?? Restart(),
            _ => CommandResult.Refused($"unknown command '{CommandRequest.Shorten(request.Name)}'"),
        };
    }

    private static CommandResult? NoArguments(JsonElement args)
    {
        foreach (var p in args.EnumerateObject())
            return CommandResult.Refused($"unknown argument '{CommandRequest.Shorten(p.Name)}': this command takes none");
        return null;
    }

    private CommandResult Status()
    {
        var s = agent.Status();
        return CommandResult.Success(w =>
        {
            w.WriteString("profile", s.Profile);
            w.WriteNumber("uptimeSeconds", Math.Round(s.Uptime.TotalSeconds, 1));
            w.WriteBoolean("connected", s.Connected);
            w.WriteBoolean("tls", s.Tls);
            w.WriteNumber("backlogBatches", s.BacklogBatches);
            w.WriteNumber("backlogBytes", s.BacklogBytes);
            if (s.OldestUnacknowledgedUnixMs is { } oldest) w.WriteNumber("oldestUnacknowledgedUnixMs", oldest);
            else w.WriteNull("oldestUnacknowledgedUnixMs");
            w.WriteNumber("publishedBatches", s.PublishedBatches);
            w.WriteNumber("publishedReadings", s.PublishedReadings);
            w.WriteNumber("acceptedReadings", s.AcceptedReadings);
            w.WriteNumber("droppedReadings", s.DroppedReadings);
            w.WriteNumber("offlineSeconds", Math.Round(s.OfflineSeconds, 1));
            WriteSources(w, s.Sources);
        });
    }

    /// <summary>
    /// <c>"sources": [{"name", "type", "ratePerSecond"}]</c>, the rate null when it is not the source's own; plus
    /// <c>"profileRatePerSecond"</c> while a set-rate holds it elsewhere, so an operator sees what a restart undoes.
    /// </summary>
    private static void WriteSources(Utf8JsonWriter w, IReadOnlyList<SourceRate> sources)
    {
        w.WriteStartArray("sources");
        foreach (var s in sources)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("type", s.Type);
            if (s.RatePerSecond is { } rate) w.WriteNumber("ratePerSecond", rate);
            else w.WriteNull("ratePerSecond");
            if (s.ConfiguredPerSecond is { } configured && configured != s.RatePerSecond) w.WriteNumber("profileRatePerSecond", configured);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private CommandResult Flush()
    {
        agent.FlushJournal();
        var s = agent.Status();
        return CommandResult.Success(w =>
        {
            w.WriteString("message", "journal synced to disk");
            w.WriteNumber("backlogBatches", s.BacklogBatches);
            w.WriteNumber("backlogBytes", s.BacklogBytes);
        });
    }

    private CommandResult SetRate(JsonElement args, string? requester)
    {
        string? source = null;
        double? rate = null;
        foreach (var p in args.EnumerateObject())
        {
            switch (p.Name)
            {
                case "source" when p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 } s:
                    source = s;
                    break;
                case "ratePerSecond" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var r) && double.IsFinite(r):
                    rate = r;
                    break;
                case "source" or "ratePerSecond":
                    return CommandResult.Refused($"'{p.Name}' must be {(p.Name == "source" ? "a source name" : "a number")}; got {p.Value.ValueKind.ToString().ToLowerInvariant()}");
                default:
                    return CommandResult.Refused($"unknown argument '{CommandRequest.Shorten(p.Name)}'; set-rate takes {{\"source\": NAME, \"ratePerSecond\": N}}");
            }
        }
        if (source is null || rate is null)
            return CommandResult.Refused("set-rate takes {\"source\": NAME, \"ratePerSecond\": N}");
        if (rate is <= 0 or > 1000)
            return CommandResult.Refused($"ratePerSecond must be above 0 and at most 1000; got {rate.Value.ToString(CultureInfo.InvariantCulture)}");
        if (!agent.Sources.TryGetValue(source, out var type))
            return CommandResult.Refused($"no source named '{CommandRequest.Shorten(source)}'; sources: {string.Join(", ", agent.Sources.Keys)}");
        if (!agent.TrySetRate(source, rate.Value, requester, out var change, out var problem))
            return CommandResult.Refused(problem ?? $"set-rate is not supported for this source ({type})");
        return CommandResult.Success(w =>
        {
            w.WriteString("source", source);
            w.WriteNumber("ratePerSecond", change.PerSecond);
            w.WriteNumber("previousRatePerSecond", change.PreviousPerSecond);
            w.WriteString("lasts", "until the agent restarts or reload-config; the profile is unchanged and applies again then");
        });
    }

    private CommandResult ReloadConfig()
    {
        // The agent composes its sources, journal and connection once at start; applying a new profile is a clean
        // restart with it, which is also what keeps the journal's guarantees. A profile that does not load is refused
        // here, so a bad edit never takes a running gateway down.
        GatewayProfile profile;
        try
        {
            profile = ProfileLoader.Load(agent.ProfilePath);
        }
        catch (ProfileException ex)
        {
            return CommandResult.Refused($"the profile on disk does not load, so the agent keeps running the old one: {ex.Message}");
        }
        if (profile.GatewayId != agent.GatewayId)
            return CommandResult.Refused($"the profile on disk is for gateway '{profile.GatewayId}', not '{agent.GatewayId}'; re-provision instead");
        return CommandResult.Success(w =>
        {
            w.WriteString("message", "profile is valid; restarting to apply it (systemd starts the agent again)");
            w.WriteNumber("sources", profile.Sources.Count);
        }, agent.RequestRestart);
    }

    private CommandResult SelfTest()
    {
        var checks = agent.SelfTest();
        var failed = checks.Where(c => !c.Ok).Select(c => c.Name).ToList();
        return CommandResult.Success(w =>
        {
            w.WriteBoolean("passed", failed.Count == 0);
            w.WriteStartArray("checks");
            foreach (var c in checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteBoolean("ok", c.Ok);
                w.WriteString("detail", c.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private CommandResult Restart() => CommandResult.Success(
        w => w.WriteString("message", "restarting: the journal is flushed and systemd starts the agent again"), agent.RequestRestart);
}
