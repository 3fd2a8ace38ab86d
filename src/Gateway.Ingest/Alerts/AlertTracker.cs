namespace Gateway.Ingest.Alerts;

/// <summary>
/// The raise/clear state of one alert with a hold time: a raise needs the raise condition to hold for
/// <c>hold</c>, a clear needs the clear condition to hold for <c>hold</c>. With separate raise and clear conditions
/// (a hysteresis band: raise below 3300 mV, clear above 3450 mV) a value hovering at one threshold cannot flap.
/// </summary>
public sealed class AlertTracker
{
    private DateTimeOffset? _pendingSince;

    public bool Active { get; private set; }

    /// <summary>Restores an alert that was active before a restart.</summary>
    public static AlertTracker Restored(bool active) => new() { Active = active };

    public AlertTransition Update(bool raise, bool clear, DateTimeOffset now, TimeSpan hold)
    {
        var wanted = Active ? clear : raise;
        if (!wanted)
        {
            _pendingSince = null;
            return AlertTransition.None;
        }
        _pendingSince ??= now;
        if (now - _pendingSince < hold) return AlertTransition.None;
        _pendingSince = null;
        Active = !Active;
        return Active ? AlertTransition.Raised : AlertTransition.Cleared;
    }
}

public enum AlertTransition
{
    None,
    Raised,
    Cleared,
}
