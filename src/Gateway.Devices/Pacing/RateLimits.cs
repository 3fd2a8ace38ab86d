using System.Globalization;

namespace Gateway.Devices.Pacing;

/// <summary>The limits every adjustable source shares, and the check against a device's own.</summary>
public static class RateLimits
{
    /// <summary>
    /// One reading an hour: the profile's longest <c>intervalMs</c> (3 600 000). Slower is a source that looks dead on
    /// the dashboard, and an interval that a timer cannot hold much longer (about 49 days).
    /// </summary>
    public const double MinPerSecond = 1.0 / 3600;

    /// <summary>
    /// True when <paramref name="ratePerSecond"/> is within the general limits and the device's
    /// <paramref name="max"/>; otherwise false with a message that names the limit, its reason and the fastest rate.
    /// </summary>
    public static bool Check(double ratePerSecond, RateLimit? max, out string? problem)
    {
        problem = null;
        if (!double.IsFinite(ratePerSecond) || ratePerSecond < MinPerSecond)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{Format(ratePerSecond)}/s is slower than one reading an hour ({Format(MinPerSecond)}/s, the profile's longest intervalMs of 3600000); use at least that");
            return false;
        }
        if (max is not null && ratePerSecond > max.PerSecond)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{Format(ratePerSecond)}/s is faster than this device can sample: at most {Format(max.PerSecond)}/s, because {max.Reason}");
            return false;
        }
        return true;
    }

    /// <summary>A rate for messages: up to 4 significant digits (0.1, 33.33, 0.0002778).</summary>
    public static string Format(double perSecond) => perSecond.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The sampling interval of a rate, never shorter than <paramref name="shortest"/>.</summary>
    public static TimeSpan Interval(double perSecond, TimeSpan shortest = default)
    {
        var interval = TimeSpan.FromTicks((long)Math.Round(TimeSpan.TicksPerSecond / perSecond));
        return interval < shortest ? shortest : interval;
    }
}
