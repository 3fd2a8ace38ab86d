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

public sealed record GeofenceRule(bool Enabled, TimeSpan Hold);

public sealed record BatteryLowRule(bool Enabled, int RaiseBelowMv, int ClearAboveMv, TimeSpan Hold);

public sealed record HoldRule(bool Enabled, TimeSpan Hold);

public sealed record TemperatureRule(bool Enabled, double RaiseAboveC, double ClearBelowC, TimeSpan Hold, IReadOnlyList<string> Sensors);
