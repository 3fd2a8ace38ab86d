namespace Gateway.Ingest.Configuration;

/// <summary>
/// Alert rules. Every rule has a hold time (the condition must hold that long before a raise, and be gone that long
/// before a clear) and numeric rules also a hysteresis band, so a value hovering at a threshold does not flap.
/// </summary>
public sealed record AlertsConfig(
    bool Enabled,
    string Topic,
    WebhookConfig? Webhook,
    GatewayOfflineRule GatewayOffline,
    AssetNotSeenRule AssetNotSeen,
    GeofenceRule Geofence,
    BatteryLowRule TagBatteryLow,
    HoldRule TagAlarm,
    HoldRule EnclosureInput,
    TemperatureRule EnclosureTemperature);

public sealed record WebhookConfig(Uri Url, TimeSpan Timeout);

public sealed record GatewayOfflineRule(bool Enabled, TimeSpan After);

public sealed record AssetNotSeenRule(bool Enabled, TimeSpan After);

/// <summary>
/// An asset outside its geofence: raised only when it is more than <paramref name="MarginMeters"/> outside the polygon
/// for <paramref name="Hold"/> (the dwell time), cleared when it is back inside for the same time. GPS noise and a road
/// along the fence move a position by tens of metres; the margin keeps those from counting as an exit.
/// </summary>
public sealed record GeofenceRule(bool Enabled, TimeSpan Hold, double MarginMeters = 0);

public sealed record BatteryLowRule(bool Enabled, int RaiseBelowMv, int ClearAboveMv, TimeSpan Hold);

public sealed record HoldRule(bool Enabled, TimeSpan Hold);

public sealed record TemperatureRule(bool Enabled, double RaiseAboveC, double ClearBelowC, TimeSpan Hold, IReadOnlyList<string> Sensors);
