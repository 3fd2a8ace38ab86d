namespace Gateway.Devices.Pacing;

/// <summary>
/// A source that samples on a schedule of its own (the polled sensors, the counter), so its rate can change while it
/// runs: the agent's <c>set-rate</c> command. A change takes effect at the next sample and lasts as long as the source
/// object (the agent builds new ones from the profile at restart and <c>reload-config</c>). Thread-safe: the command
/// arrives on the MQTT thread while the source runs on its own.
/// </summary>
public interface IRateAdjustable
{
    /// <summary>Readings per second now.</summary>
    double RatePerSecond { get; }

    /// <summary>
    /// The fastest this device can usefully sample with its current settings, and why; null when only the general
    /// limits of <see cref="RateLimits"/> apply.
    /// </summary>
    RateLimit? MaxRate { get; }

    /// <summary>
    /// Samples at <paramref name="ratePerSecond"/> from the next sample on. Returns false, with a reason that says what
    /// the device can do instead, when it cannot sample that fast (or slower than <see cref="RateLimits.MinPerSecond"/>);
    /// the rate is then unchanged. <paramref name="previous"/> is the rate this call replaced (the current one when refused).
    /// </summary>
    bool TrySetRate(double ratePerSecond, out double previous, out string? problem);
}

/// <summary>
/// A source whose rate is not its own to choose: a receiver's firmware, the radio tags or the edges of an input decide
/// when readings come. <see cref="RateRefusal"/> says who decides and what to change instead.
/// </summary>
public interface IRateFixed
{
    /// <summary>Why set-rate cannot pace this source, and what to do instead (a profile key, a firmware setting).</summary>
    string RateRefusal { get; }
}

/// <summary>The fastest a device can sample, with the reason (the datasheet's timing and the settings behind it).</summary>
public sealed record RateLimit(double PerSecond, string Reason);
