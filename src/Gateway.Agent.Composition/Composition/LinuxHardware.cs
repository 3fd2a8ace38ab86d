using System.Globalization;
using Gateway.Agent.Profiles;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.I2c;
using Gateway.Hardware.OneWire;
using Gateway.Hardware.Serial;
using Gateway.Hardware.Spi;

namespace Gateway.Agent.Composition;

/// <summary>The kernel's devices: <c>/dev/i2c-N</c>, <c>/dev/spidevB.C</c>, <c>/dev/gpiochipN</c>, <c>/sys</c>.</summary>
public sealed class LinuxHardware : HardwareAccess
{
    private readonly Dictionary<int, LazyGpioChip> _chips = [];

    /// <inheritdoc/>
    public override I2cBus I2cBus(int bus) => new UnixI2cBus(bus);

    /// <inheritdoc/>
    public override I2cDevice OpenI2c(int bus, int address) => new LazyI2cDevice(() => new UnixI2cBus(bus).CreateDevice(address), new I2cConnectionSettings(bus, address));

    /// <inheritdoc/>
    public override SpiDevice OpenSpi(LoraSourceProfile lora)
    {
        ArgumentNullException.ThrowIfNull(lora);
        var settings = new SpiConnectionSettings(lora.SpiBus, lora.ChipSelect, lora.ClockHz, Mode: 0); // SX1276 §4.3: CPOL 0, CPHA 0
        return new LazySpiDevice(() => new UnixSpiDevice(settings), settings);
    }

    /// <inheritdoc/>
    public override GpioChip GpioChip(int chip)
    {
        lock (_chips)
        {
            if (!_chips.TryGetValue(chip, out var lazy))
                _chips[chip] = lazy = new LazyGpioChip(() => new UnixGpioChip(string.Create(CultureInfo.InvariantCulture, $"/dev/gpiochip{chip}")), $"gpiochip{chip}");
            return lazy;
        }
    }

    /// <inheritdoc/>
    public override string SysfsRoot(string configured) => configured;

    /// <inheritdoc/>
    public override W1Bus W1Bus(string sysfsRoot) => new SysfsW1Bus(sysfsRoot);

    /// <summary>Reached only for <c>"port": "simulated"</c>: a simulated receiver needs the simulated hardware's world.</summary>
    public override SerialDevice OpenSerial(GpsSourceProfile gps) =>
        throw new NotSupportedException($"gps '{gps?.Name}': 'port': 'simulated' needs 'hardware': 'simulated'; use 'termios' or 'auto' on a real gateway");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        lock (_chips)
        {
            foreach (var chip in _chips.Values) chip.Dispose();
            _chips.Clear();
        }
    }
}
