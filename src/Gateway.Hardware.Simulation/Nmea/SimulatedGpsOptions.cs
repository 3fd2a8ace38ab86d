namespace Gateway.Hardware.Simulation.Nmea;

/// <summary>How a <see cref="SimulatedGpsReceiver"/> behaves.</summary>
public sealed record SimulatedGpsOptions
{
    /// <summary>Time between epochs (receiver navigation rate); 1 s is the common default.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed for the track's jitter, satellites and HDOP, so that runs are reproducible.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When true the first <see cref="EpochsWithoutFix"/> epochs report no fix, as after a cold start.</summary>
    public bool StartWithoutFix { get; init; }

    /// <summary>How many epochs have no fix when <see cref="StartWithoutFix"/> is set.</summary>
    public int EpochsWithoutFix { get; init; } = 3;

    /// <summary>Line rate; bytes never arrive faster than BaudRate / 10 per second (8N1: 10 bits per byte).</summary>
    public int BaudRate { get; init; } = 9600;

    /// <summary>Whether each epoch also carries a <c>$GPGSA</c> sentence.</summary>
    public bool EmitGsa { get; init; } = true;

    /// <summary>Radius of the patrol loop around the site, metres.</summary>
    public double PatrolRadiusMeters { get; init; } = 150;

    /// <summary>
    /// Null (default): epochs run from the receiver's creation, each stamped with the time it is sent. Set: epochs fall
    /// on UTC multiples of <see cref="Interval"/> (whole seconds at 1 Hz), as a real receiver's do and as its PPS pulses
    /// mark them (<see cref="Gpio.SimulatedPps"/>), each stamped with its epoch time and sent this long after it (the
    /// receiver's output latency: u-blox and MediaTek parts start a cycle's sentences 50-500 ms after its second).
    /// Epochs that nobody read in time are skipped, as a receiver without flow control loses them.
    /// </summary>
    public TimeSpan? OutputLatency { get; init; }

    /// <summary>Time for one lap of the patrol loop.</summary>
    public TimeSpan PatrolPeriod { get; init; } = TimeSpan.FromMinutes(20);
}
