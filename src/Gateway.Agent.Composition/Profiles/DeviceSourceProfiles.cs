using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Ina219;
using Gateway.Devices.Sx1276;

namespace Gateway.Agent.Profiles;

/// <summary>An INA219 current/power monitor: I2C bus and address, shunt and maximum current for the §8.5.1 calibration.</summary>
public sealed record Ina219SourceProfile(string Name, int Bus, int Address, double ShuntOhms, double MaxCurrentAmps, Ina219Configuration Configuration, TimeSpan Interval)
    : SourceProfile("ina219", Name);

/// <summary>
/// An SX1276 receiving asset tags: SPI bus and chip select (<c>/dev/spidevB.C</c>), SPI clock, the GPIO chip with NRESET
/// (null when not wired) and DIO0, the region plan, and how often an idle radio is health-checked. Tag keys and
/// accepted counters live in the agent's state directory.
/// </summary>
public sealed record LoraSourceProfile(string Name, int SpiBus, int ChipSelect, int ClockHz, int GpioChip, int? ResetLine, int Dio0Line, LoraRegionPlan Plan, TimeSpan HealthInterval)
    : SourceProfile("lora", Name);

/// <summary>A door/tamper contact on a GPIO line.</summary>
public sealed record GpioInputSourceProfile(string Name, int GpioChip, DigitalInputOptions Options) : SourceProfile("gpio-input", Name);

/// <summary>The SoC temperature from a sysfs thermal zone.</summary>
public sealed record CpuTemperatureSourceProfile(string Name, int Zone, string SysfsRoot, TimeSpan Interval) : SourceProfile("cpu-temperature", Name);

/// <summary>A DS18B20 on the kernel's 1-Wire bus.</summary>
public sealed record Ds18b20SourceProfile(string Name, string DeviceId, string SysfsRoot, TimeSpan Interval) : SourceProfile("ds18b20", Name)
{
    /// <summary>
    /// The 1-Wire data pin (BCM GPIO; the w1-gpio overlay's <c>gpiopin</c>, default 4). The agent never touches it (the
    /// kernel reads the bus); provisioning writes the overlay from it and `config validate` checks no other source uses it.
    /// </summary>
    public int GpioPin { get; init; } = 4;
}
