namespace Gateway.Cli.Commands.Simulate;

/// <summary>What <c>gatewayctl simulate fleet</c> runs. Defaults make a small, lively demo fleet.</summary>
public sealed record FleetSimulatorOptions
{
    public string BrokerHost { get; init; } = "127.0.0.1";
    public int BrokerPort { get; init; } = 1883;
    public int Gateways { get; init; } = 10;

    /// <summary>Counter readings per second per gateway (each a line with a distinct millisecond timestamp).</summary>
    public double Rate { get; init; } = 10;

    /// <summary>Asset tags heard by each gateway.</summary>
    public int TagsPerGateway { get; init; } = 2;

    /// <summary>One telemetry message per gateway per interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often sensors (gps, env, power, cpu, input, gateway) and tags report.</summary>
    public TimeSpan SensorInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Real-time run length; null runs until cancelled.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Bench mode: each gateway publishes this many messages as fast as the broker acknowledges, stamped in the past.</summary>
    public int? Burst { get; init; }

    public string Prefix { get; init; } = "sim";
    public double Latitude { get; init; } = 8.4840;
    public double Longitude { get; init; } = -13.2299;

    /// <summary>Every this often, the first tag of the first gateway leaves its site for a minute (for geofence alerts); null: never.</summary>
    public TimeSpan? EscapeEvery { get; init; }

    /// <summary>Writes every published line here too (the ingest benchmark writes the same lines directly).</summary>
    public string? DumpFile { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>The fleet CA (PEM): with <see cref="CertDir"/>, every simulated gateway connects over mutual TLS.</summary>
    public string? CaFile { get; init; }

    /// <summary>Where each gateway's certificate is, as <c>{id}.crt</c> and <c>{id}.key</c> (CN = gateway id, as the broker's ACL wants).</summary>
    public string? CertDir { get; init; }

    /// <summary>The name the broker's certificate must carry when it differs from the host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Check the broker certificate's chain but not its host name (--insecure, as pub, sub and cmd).</summary>
    public bool SkipHostNameCheck { get; init; }

    /// <summary>Gateway <paramref name="id"/>'s own TLS identity, or null for plain TCP.</summary>
    public Gateway.Mqtt.MqttTlsOptions? TlsFor(string id) => CaFile is null ? null : new()
    {
        CaFile = CaFile,
        CertificateFile = CertDir is null ? null : Path.Combine(CertDir, $"{id}.crt"),
        KeyFile = CertDir is null ? null : Path.Combine(CertDir, $"{id}.key"),
        ServerName = TlsServerName,
        SkipHostNameCheck = SkipHostNameCheck,
    };

    /// <summary>Upper bound on counter readings per second per gateway: distinct ms timestamps (a store overwrites equal ones).</summary>
    public const double MaxRate = 1000;

    public string GatewayId(int index) => $"{Prefix}-{index + 1:D4}";

    /// <summary>Tag id (8 lowercase hex digits, the tag contract) of tag <paramref name="tag"/> of gateway <paramref name="gateway"/>.</summary>
    public static string TagId(int gateway, int tag) => (0xa0000000u + ((uint)(gateway + 1) << 8) + (uint)tag).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gateway <paramref name="index"/>'s position: a grid 0.01° (about 1.1 km) apart, north-east of the centre.</summary>
    public (double Lat, double Lon) GatewayPosition(int index)
    {
        var side = (int)Math.Ceiling(Math.Sqrt(Math.Max(1, Gateways)));
        return (Latitude + 0.01 * (index / side + 1), Longitude + 0.01 * (index % side));
    }

    public string? Validate()
    {
        if (Gateways is < 1 or > 100_000) return $"--gateways must be 1-100000; got {Gateways}";
        if (Rate is < 0 or > MaxRate) return $"--rate must be 0-{MaxRate} readings per second per gateway (distinct millisecond timestamps); got {Rate}";
        if (TagsPerGateway is < 0 or > 255) return $"--tags must be 0-255 per gateway; got {TagsPerGateway}";
        if (Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromMinutes(10)) return "--interval-ms must be 10-600000";
        if (Burst is < 1) return "--burst must be at least 1";
        if (Prefix.Length is 0 or > 50 || !Prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            return $"--prefix must be 1-50 characters of a-z, 0-9, '-' and '_' (it starts gateway ids); got '{Prefix}'";
        return null;
    }
}
