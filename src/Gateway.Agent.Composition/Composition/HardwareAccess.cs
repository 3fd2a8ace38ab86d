using Gateway.Agent.Profiles;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.I2c;
using Gateway.Hardware.OneWire;
using Gateway.Hardware.Serial;
using Gateway.Hardware.Spi;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>
/// Where drivers get their buses: the kernel's devices (<see cref="LinuxHardware"/>) or the register-level simulation
/// (<see cref="SimulatedHardware"/>). The one place that decides (STYLE.md habit 2); drivers only see abstract buses.
/// Opening is lazy on Linux, so a missing device fails its source (restarted with backoff and logged) instead of the
/// whole agent.
/// </summary>
public abstract class HardwareAccess : IDisposable
{
    /// <summary>Creates whatever the source needs behind its buses (the simulation's device models); nothing on Linux.</summary>
    public virtual void Prepare(SourceProfile source)
    {
    }

    /// <summary>A whole I2C bus, for scans.</summary>
    public abstract I2cBus I2cBus(int bus);

    /// <summary>The device at one address. Caller disposes.</summary>
    public abstract I2cDevice OpenI2c(int bus, int address);

    /// <summary>The SPI device of a LoRa radio. Caller disposes.</summary>
    public abstract SpiDevice OpenSpi(LoraSourceProfile lora);

    /// <summary>A GPIO chip (shared by the sources that use it).</summary>
    public abstract GpioChip GpioChip(int chip);

    /// <summary>The directory that stands for <c>/sys</c>.</summary>
    public abstract string SysfsRoot(string configured);

    /// <summary>The 1-Wire thermometers (w1_therm) under a sysfs root.</summary>
    public abstract W1Bus W1Bus(string sysfsRoot);

    /// <summary>The GPS receiver's serial port.</summary>
    public abstract SerialDevice OpenSerial(GpsSourceProfile gps);

    /// <summary>Lets the simulation run its world (tags, doors) exactly while the source runs; the identity on Linux.</summary>
    public virtual ReadingSource Wrap(ReadingSource source, SourceProfile profile) => source;

    /// <summary>Releases the shared GPIO chips (Linux) or stops the simulated world and its timers.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where a subclass releases what it opened; <paramref name="disposing"/> is false only from a finalizer.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The hardware a profile asks for.</summary>
    public static HardwareAccess For(GatewayProfile profile, string stateDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Hardware == HardwareMode.Linux
            ? new LinuxHardware()
            : new SimulatedHardware(profile, stateDirectory, time);
    }
}
