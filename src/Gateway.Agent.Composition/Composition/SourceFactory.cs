using Gateway.Agent.Commands;
using Gateway.Agent.Profiles;
using Gateway.Devices.Bme280;
using Gateway.Devices.Counter;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>
/// Turns the profile's sources into running drivers on the buses <see cref="HardwareAccess"/> gives: the kernel's
/// devices with <c>"hardware": "linux"</c>, the register-level simulation otherwise. Drivers never open devices
/// themselves. The per-device wiring is in GpsComposition.cs, SensorComposition.cs and LoraComposition.cs.
/// </summary>
public static class SourceFactory
{
    /// <summary>One driver per profile source, in profile order, each wrapped as the hardware requires.</summary>
    /// <param name="profile">The validated profile whose <c>sources</c> and <c>hardware</c> are used.</param>
    /// <param name="time">The clock every driver samples and waits on.</param>
    /// <param name="environment">The state directory and logger factory the drivers need.</param>
    /// <param name="counterStart">The first seq of each counter source by name (the agent continues counters across restarts); 1 when null.</param>
    /// <param name="rates">Where set-rate finds each driver (registered before any wrapper of the hardware); none when null.</param>
    public static IReadOnlyList<ReadingSource> Create(GatewayProfile profile, TimeProvider time, DeviceEnvironment environment, Func<string, long>? counterStart = null,
        SourceRates? rates = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Create(profile, HardwareAccess.For(profile, environment.StateDirectory, time), environment, counterStart, rates);
    }

    /// <summary>With a given hardware (diagnostics and tests keep hold of it). The hardware lives as long as the sources.</summary>
    public static IReadOnlyList<ReadingSource> Create(GatewayProfile profile, HardwareAccess hardware, DeviceEnvironment environment, Func<string, long>? counterStart = null,
        SourceRates? rates = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(environment);
        var sources = new List<ReadingSource>();
        foreach (var source in profile.Sources)
        {
            hardware.Prepare(source);
            ReadingSource created = source switch
            {
                GpsSourceProfile gps => GpsComposition.Create(gps, profile.Hardware, hardware),
                Bme280SourceProfile bme => new Bme280Source(bme.Name, hardware.OpenI2c(bme.Bus, bme.Address), bme.Interval, bme.Options),
                CounterSourceProfile counter => new CounterSource(counter.Name, counter.RatePerSecond, counterStart?.Invoke(counter.Name) ?? 1),
                LoraSourceProfile lora => LoraComposition.Create(lora, hardware, environment),
                _ => SensorComposition.Create(source, hardware, environment),
            };
            rates?.Compose(source, created);
            sources.Add(hardware.Wrap(created, source));
        }
        return sources;
    }
}
