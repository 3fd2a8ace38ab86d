using Gateway.Agent.Profiles;
using Gateway.Devices.Bme280;
using Gateway.Devices.Counter;
using Gateway.Hardware.Simulation;
using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.I2c;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>
/// Turns the profile's sources into running drivers. This is the one place that decides which bus a driver gets:
/// the simulation here, the kernel's devices once the Linux buses exist. Drivers never open devices themselves.
/// </summary>
public static class SourceFactory
{
    /// <param name="counterStart">The first seq of each counter source by name (the agent continues counters across restarts); 1 when null.</param>
    public static IReadOnlyList<ReadingSource> Create(GatewayProfile profile, TimeProvider time, Func<string, long>? counterStart = null)
    {
        var site = new SimulatedSite(profile.Site.Latitude, profile.Site.Longitude, profile.Site.AltitudeMeters);
        var buses = new Dictionary<int, SimulatedI2cBus>();
        // A seed from the gateway id: each simulated gateway drives its own track, and the same one on every run.
        var seed = StableSeed(profile.GatewayId);
        var sources = new List<ReadingSource>();
        foreach (var source in profile.Sources)
        {
            sources.Add(source switch
            {
                GpsSourceProfile gps => GpsComposition.Create(gps, profile.Hardware, site, time, seed),
                Bme280SourceProfile bme => CreateBme280(bme, buses, time),
                CounterSourceProfile counter => new CounterSource(counter.Name, counter.RatePerSecond, counterStart?.Invoke(counter.Name) ?? 1),
                _ => throw new InvalidOperationException($"No driver for source type '{source.Type}'."),
            });
        }
        return sources;
    }

    private static Bme280Source CreateBme280(Bme280SourceProfile profile, Dictionary<int, SimulatedI2cBus> buses, TimeProvider time)
    {
        if (!buses.TryGetValue(profile.Bus, out var bus))
            buses[profile.Bus] = bus = new SimulatedI2cBus(profile.Bus);
        bus.Attach(profile.Address, new Bme280Model(time));
        return new Bme280Source(profile.Name, bus.CreateDevice(profile.Address), profile.Interval);
    }

    private static int StableSeed(string text)
    {
        // string.GetHashCode is randomised per process; FNV-1a is stable across runs.
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }
}
