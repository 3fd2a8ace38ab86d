namespace Gateway.Hardware.Simulation.Tags;

/// <summary>
/// Where a tag is and what its flags say at a time since the scenario started: pure functions of (role, seed, time),
/// so every run and every reader sees the same track.
/// </summary>
internal static class SimulatedTagMotion
{
    /// <summary>East and north offsets from the site in metres, and whether the tag moves.</summary>
    public static (double East, double North, bool Moving) Position(SimulatedTagRole role, int seed, double seconds)
    {
        var phase = (seed % 360) * Math.PI / 180;
        switch (role)
        {
            case SimulatedTagRole.Patrol:
            {
                // A 350 m circle at 6 m/s: one lap in about six minutes.
                var angle = phase + (seconds * 6 / 350);
                return (350 * Math.Cos(angle), 350 * Math.Sin(angle), true);
            }
            case SimulatedTagRole.Container:
                return (120 * Math.Cos(phase), 120 * Math.Sin(phase), false);
            case SimulatedTagRole.Generator:
                return (-45, 30, false);
            case SimulatedTagRole.SupplyTruck:
            {
                // Out along a road to 9 km and back at 15 m/s, parked at the site for 2 minutes between trips.
                const double leg = 9000, speed = 15, park = 120;
                var cycle = (2 * leg / speed) + park;
                var t = (seconds + (seed % 100)) % cycle;
                double distance = t < park ? 0 : t < park + (leg / speed) ? (t - park) * speed : leg - ((t - park - (leg / speed)) * speed);
                return (distance * 0.8, distance * 0.6, t >= park);
            }
            default:
            {
                // A guard walking a 60 m beat around the gate at 1.2 m/s.
                var angle = phase + (seconds * 1.2 / 60);
                return (80 + (60 * Math.Cos(angle)), -20 + (60 * Math.Sin(angle)), true);
            }
        }
    }

    /// <summary>Battery in mV: a slow decline; the generator's tag crosses its low threshold (3300 mV) within minutes.</summary>
    public static ushort Battery(SimulatedTagRole role, int seed, double seconds) => role == SimulatedTagRole.Generator
        ? (ushort)Math.Max(3000, 3420 - (seconds * 0.5))
        : (ushort)(3600 + (seed % 400) - Math.Min(300, seconds / 3600));

    /// <summary>The guard presses the alarm for 30 s out of every 5 minutes, starting a minute in.</summary>
    public static bool Alarm(SimulatedTagRole role, double seconds) =>
        role == SimulatedTagRole.Guard && seconds >= 60 && (seconds - 60) % 300 < 30;
}
