using Gateway.Agent.Profiles;
using Gateway.Devices.Pacing;
using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Commands;

/// <summary>
/// The running sources' rates, for <c>set-rate</c> and <c>status</c>. <see cref="Compose"/> fills it from the drivers
/// the profile produced (before any wrapper of the simulation, so the rate contract is visible); the command changes
/// a driver's rate in place. A change lasts until the agent restarts or reloads its profile, which stays the source
/// of truth and is never rewritten. Thread-safe: composition runs on the worker, commands on the MQTT thread.
/// </summary>
public sealed partial class SourceRates(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _sources = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Registers the driver that the source <paramref name="profile"/> produced.</summary>
    public void Compose(SourceProfile profile, ReadingSource driver)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(driver);
        var configured = (driver as IRateAdjustable)?.RatePerSecond;
        lock (_gate)
        {
            if (!_sources.ContainsKey(profile.Name)) _order.Add(profile.Name);
            _sources[profile.Name] = new Entry(profile.Type, driver, configured);
        }
    }

    /// <summary>
    /// Changes a source's rate from its next sample. False with a reason that says what to do instead when the
    /// source is not running, its rate is not its own, or the device cannot sample at that rate.
    /// </summary>
    /// <param name="name">The source's name in the profile.</param>
    /// <param name="ratePerSecond">Samples per second wanted (0.2 is one every 5 s).</param>
    /// <param name="requestedBy">Who asked (the operator named in the request's reply topic), for the log; null if unknown.</param>
    /// <param name="change">The rate before and after, when true.</param>
    /// <param name="problem">Why not and what to do instead, when false.</param>
    public bool TrySet(string name, double ratePerSecond, string? requestedBy, out RateChange change, out string? problem)
    {
        change = default;
        Entry? entry;
        lock (_gate) _sources.TryGetValue(name, out entry);
        switch (entry?.Driver)
        {
            case null:
                problem = $"source '{name}' is not running yet (the agent is still starting); send set-rate again in a moment";
                return false;
            case IRateAdjustable adjustable:
                if (!adjustable.TrySetRate(ratePerSecond, out var previous, out var why))
                {
                    problem = $"set-rate cannot run '{name}' ({entry.Type}) at that rate: {why}";
                    return false;
                }
                change = new RateChange(previous, ratePerSecond);
                problem = null;
                LogRateChanged(logger, name, entry.Type, RateLimits.Format(previous), RateLimits.Format(ratePerSecond), requestedBy ?? "an unnamed requester");
                return true;
            case IRateFixed fixedRate:
                problem = $"set-rate cannot pace '{name}' ({entry.Type}): {fixedRate.RateRefusal}";
                return false;
            default:
                problem = $"set-rate is not supported for '{name}' ({entry.Type}): change its rate in the profile and send reload-config";
                return false;
        }
    }

    /// <summary>Every composed source with its current rate (null when the rate is not its own), in profile order.</summary>
    public IReadOnlyList<SourceRate> Snapshot()
    {
        lock (_gate)
        {
            return _order.Select(name => (name, entry: _sources[name]))
                .Select(s => new SourceRate(s.name, s.entry.Type, (s.entry.Driver as IRateAdjustable)?.RatePerSecond, s.entry.Configured))
                .ToList();
        }
    }

    private sealed record Entry(string Type, ReadingSource Driver, double? Configured);

    [LoggerMessage(EventId = 8110, Level = LogLevel.Information, Message = "Source {Source} ({Type}) now samples at {Rate}/s instead of {Previous}/s, asked by {RequestedBy}; this lasts until the agent restarts or reloads its profile")]
    private static partial void LogRateChanged(ILogger logger, string source, string type, string previous, string rate, string requestedBy);
}

/// <summary>What a <c>set-rate</c> changed: the rate before and after, in readings per second.</summary>
public readonly record struct RateChange(double PreviousPerSecond, double PerSecond);

/// <summary>One source in <c>status</c>: its rate now (null when it is not its own) and the profile's.</summary>
public sealed record SourceRate(string Name, string Type, double? RatePerSecond, double? ConfiguredPerSecond);
