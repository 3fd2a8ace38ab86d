using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Commands.Status;

/// <summary><c>gatewayctl status TARGET</c>: service state, uptime, restarts, backlog, last publish, clock sync, disk.</summary>
public static class StatusCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("TARGET") { Description = "[USER@]HOST as for ssh" };
        var sshConfig = new Option<FileInfo?>("--ssh-config") { Description = "an ssh_config file (ssh -F)" };
        var command = new Command("status", "Show a gateway's agent: service, uptime, backlog, last publish, clock, disk") { target, sshConfig };
        command.SetAction((parse, _) => CliErrors.RunAsync(error, async () =>
        {
            var ssh = new SshTarget(parse.GetValue(target)!, parse.GetValue(sshConfig)?.FullName);
            await using var scope = ssh.ConfigureAwait(false);
            var run = await ssh.RunAsync(StatusScripts.Status, [], null, null, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            var facts = ProbeResult.Parse(run.Output);
            foreach (var line in Render(facts)) output.WriteLine(line);
            return facts.Get("ActiveState") is "active" or "" ? 0 : 3;
        }));
        return command;
    }

    /// <summary>The report, one line per fact, from what <see cref="StatusScripts.Status"/> printed.</summary>
    public static IEnumerable<string> Render(ProbeResult f)
    {
        if (f.Get("systemd") == "running")
        {
            yield return $"service:     {f.Get("ActiveState")} ({f.Get("SubState")}), result {f.Get("Result")}, {f.Get("NRestarts")} restart(s)";
            yield return $"since:       {f.Get("ActiveEnterTimestamp")}";
            yield return $"clock:       {(f.Get("NTPSynchronized") == "yes" ? "synchronised (NTP)" : "NOT synchronised: timestamps rely on GPS time until NTP syncs")}";
        }
        else
        {
            yield return "service:     no running systemd on this target; nothing to report about the unit";
        }
        var disk = f.Get("disk").Split(' ');
        if (disk.Length == 2 && long.TryParse(disk[0], CultureInfo.InvariantCulture, out var free) && long.TryParse(disk[1], CultureInfo.InvariantCulture, out var total) && total > 0)
            yield return $"disk:        {free / 1024} MiB free of {total / 1024} MiB ({100 * free / total}% free)";
        var agent = f.Get("agent");
        if (agent.Length == 0)
        {
            yield return "uplink:      no /run/gateway-agent/status.json (the agent is not running under its unit)";
            yield break;
        }
        using var doc = JsonDocument.Parse(agent);
        var r = doc.RootElement;
        yield return $"uplink:      {(r.GetProperty("connected").GetBoolean() ? "connected" : "NOT connected")}, backlog {r.GetProperty("backlog_batches").GetInt32()} batch(es) / {r.GetProperty("backlog_bytes").GetInt64() / 1024} KiB, {r.GetProperty("dropped_readings").GetInt64()} reading(s) dropped";
        // Older agents do not write the clock fields.
        if (r.TryGetProperty("clock_source", out var source) && source.GetString() is { } clock)
            yield return $"agent clock: {DescribeClock(clock, r.TryGetProperty("clock_held", out var held) ? held.GetInt64() : 0)}";
        if (r.TryGetProperty("system_clock_offset_s", out var offset) && offset.ValueKind == JsonValueKind.Number)
            yield return $"system clock: {DescribeSystemClock(offset.GetDouble(), r.TryGetProperty("chrony_failed", out var failed) && failed.ValueKind == JsonValueKind.Number ? failed.GetInt64() : null)}";
        yield return $"last publish: {(r.GetProperty("last_publish").ValueKind == JsonValueKind.String ? r.GetProperty("last_publish").GetString() : "none since start")} (checked {r.GetProperty("updated").GetString()}, target clock {f.Get("now")})";
    }

    /// <summary>Beyond this the system clock is called off: chrony fed by GPS keeps it within milliseconds.</summary>
    private const double FarOffSeconds = 1.0;

    private static string DescribeSystemClock(double offset, long? chronyFailed)
    {
        var off = Math.Abs(offset);
        var state = off < FarOffSeconds
            ? $"within {off.ToString("0.###", CultureInfo.InvariantCulture)} s of GPS time"
            : $"{off.ToString("0.###", CultureInfo.InvariantCulture)} s {(offset > 0 ? "BEHIND" : "AHEAD OF")} GPS time: logs are stamped wrong and TLS certificate checks may fail";
        var chrony = chronyFailed switch
        {
            null => off < FarOffSeconds ? "" : "; chrony is not fed (set time.chronySocket, firmware-config/chrony/README.md)",
            0 => "; chrony is fed",
            var n => $"; {n} sample(s) could not be given to chrony (see the agent's log)",
        };
        return state + chrony;
    }

    private static string DescribeClock(string source, long held) => source switch
    {
        "gps+pps" => "GPS time, disciplined by PPS edges (best: microseconds)",
        "gps" => "GPS time from NMEA fixes (tens of milliseconds; wire PPS for better)",
        "system" => "the system clock (NTP); no GPS fix yet or GPS not configured",
        "none" => $"NOT synchronised: {held} reading(s) held until GPS or NTP gives the time (beyond the hold bounds they go out marked time_quality=unsynced)",
        _ => source,
    };
}
