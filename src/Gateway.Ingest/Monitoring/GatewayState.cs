namespace Gateway.Ingest.Monitoring;

/// <summary>What the central side knows about one gateway. Mutated only under <see cref="FleetState"/>'s lock.</summary>
public sealed class GatewayState(string id)
{
    public string Id { get; } = id;

    /// <summary>The fleet's change counter at this gateway's last change (<see cref="FleetState.ChangedSince"/>).</summary>
    public long ChangedAt { get; set; }

    public string? Site { get; set; }

    /// <summary>From the retained status topic: true after a birth, false after the will or a clean stop; null if never heard.</summary>
    public bool? Online { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public string? Version { get; set; }
    public string? Profile { get; set; }

    /// <summary>When the central side last received anything from the gateway (broker receipt time).</summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Newest telemetry point timestamp (the gateway's clock).</summary>
    public DateTimeOffset? LastPublish { get; set; }

    public double? Lat { get; set; }
    public double? Lon { get; set; }

    /// <summary>Agent self-metrics (measurement <c>gateway</c>): journal backlog.</summary>
    public long? QueueRecords { get; set; }
    public double? OldestUnsentSeconds { get; set; }
    public long? Dropped { get; set; }

    /// <summary>INA219 (measurement <c>power</c>).</summary>
    public double? BusVoltage { get; set; }
    public double? Current { get; set; }

    public double? CpuTemperature { get; set; }

    /// <summary>Enclosure sensors by sensor name (measurement <c>env</c>).</summary>
    public Dictionary<string, EnvReading> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Digital inputs by sensor name (measurement <c>input</c>).</summary>
    public Dictionary<string, InputReading> Inputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Sequence trackers by series (<c>measurement/sensor</c>).</summary>
    public Dictionary<string, SequenceTracker> Sequences { get; } = new(StringComparer.Ordinal);
}

public sealed record EnvReading(double? Temperature, double? Humidity, double? Pressure, DateTimeOffset At);

public sealed record InputReading(bool State, bool Alarm, DateTimeOffset At);

/// <summary>What the central side knows about one asset tag. Mutated only under <see cref="FleetState"/>'s lock.</summary>
public sealed class AssetState(string tag)
{
    public string Tag { get; } = tag;

    /// <summary>The fleet's change counter at this asset's last change (<see cref="FleetState.ChangedSince"/>).</summary>
    public long ChangedAt { get; set; }

    public string Name { get; set; } = tag;
    public string? Site { get; set; }
    public string? Kind { get; set; }
    public string? Owner { get; set; }
    public string? Notes { get; set; }

    /// <summary>False for a tag heard but not in the asset registry: listed as "unregistered".</summary>
    public bool Registered { get; set; }

    /// <summary>Newest frame's timestamp (when a gateway heard it).</summary>
    public DateTimeOffset? LastSeen { get; set; }
    public string? Gateway { get; set; }
    public long? BatteryMv { get; set; }
    public bool? Moving { get; set; }
    public bool? Alarm { get; set; }
    public bool? LowBattery { get; set; }
    public double? Rssi { get; set; }
    public double? Snr { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public DateTimeOffset? PositionAt { get; set; }

    /// <summary>Recent positions, oldest first, bounded by time and count (<see cref="FleetState.MaxTrailPoints"/>).</summary>
    public List<TrailPoint> Trail { get; } = [];
}

public readonly record struct TrailPoint(long T, double Lat, double Lon);
