using System.Globalization;
using Gateway.Hardware.OneWire;

namespace Gateway.Devices.Sysfs;

/// <summary>
/// A DS18B20 on the kernel's 1-Wire bus (w1_therm driver): <c>{root}/bus/w1/devices/28-XXXXXXXXXXXX/w1_slave</c> holds
/// two lines, the scratchpad with the kernel's CRC verdict, then the scratchpad again with the temperature:
/// <code>
/// 72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
/// 72 01 4b 46 7f ff 0e 10 57 t=23125
/// </code>
/// A reading is accepted only when the kernel says YES, our own CRC-8 of the scratchpad agrees (Maxim AN27,
/// x^8 + x^5 + x^4 + 1), the t= value matches the scratchpad's temperature bytes (DS18B20 datasheet, "Temperature
/// register format"), and it is not the 85 °C power-on value, which means the conversion never ran.
/// </summary>
public sealed class W1Thermometer
{
    /// <summary>DS18B20 power-on reset temperature register value (+85 °C, datasheet "Operation — measuring temperature").</summary>
    private const short PowerOnRaw = 0x0550;

    /// <summary>How many conversion times to wait for another reader's bulk conversion on the same bus before giving up.</summary>
    private const int BusyWaits = 3;

    private readonly W1Bus _bus;

    /// <summary>A thermometer under a sysfs root, read through the kernel's w1_therm files (<see cref="SysfsW1Bus"/>).</summary>
    /// <param name="sysfsRoot"><c>/sys</c> on a gateway; a fake tree in tests.</param>
    /// <param name="deviceId">The 1-Wire id, family 28 for a DS18B20 (<c>28-0316a2790aff</c>); a path separator or <c>..</c> is refused.</param>
    public W1Thermometer(string sysfsRoot, string deviceId)
        : this(new SysfsW1Bus(sysfsRoot), deviceId)
    {
    }

    /// <summary>A thermometer on a 1-Wire bus: the kernel's (<see cref="SysfsW1Bus"/>) or the simulation's.</summary>
    /// <param name="bus">Where the w1_therm files are read and written.</param>
    /// <param name="deviceId">The 1-Wire id, family 28 for a DS18B20 (<c>28-0316a2790aff</c>); a path separator or <c>..</c> is refused.</param>
    public W1Thermometer(W1Bus bus, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        if (deviceId.Contains('/', StringComparison.Ordinal) || deviceId.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"'{deviceId}' is not a 1-Wire device id such as 28-0316a2790aff.", nameof(deviceId));
        _bus = bus;
        DeviceId = deviceId;
        Path = bus.SlavePath(deviceId);
    }

    /// <summary>The 1-Wire id the profile named, for messages.</summary>
    public string DeviceId { get; }

    /// <summary>The <c>w1_slave</c> file, for messages.</summary>
    public string Path { get; }

    /// <summary>Whether the device is on the bus (a vanished device is not a glitch).</summary>
    public bool Exists => _bus.Exists(DeviceId);

    /// <summary>
    /// Converts and reads the temperature in °C; throws <see cref="IOException"/> saying what went wrong. Where the bus
    /// master offers a bulk read, the conversion is triggered there and the read that follows only fetches the
    /// scratchpad; while another reader's bulk conversion is still running on the bus, this waits one conversion time
    /// on <paramref name="time"/> and looks again. Without bulk read the kernel converts inside the read (the old way).
    /// </summary>
    public async ValueTask<double> ReadCelsiusAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!_bus.Exists(DeviceId))
            throw new IOException($"{Path} does not exist; enable 1-Wire with 'dtoverlay=w1-gpio' (firmware-config/raspberrypi/config.txt) and check the device id ('ls /sys/bus/w1/devices/')");
        if (_bus.HasBulkRead(DeviceId))
        {
            await _bus.TriggerBulkReadAsync(DeviceId, cancellationToken).ConfigureAwait(false);
            for (var waits = 0; _bus.ReadBulkState(DeviceId) < 0; waits++)
            {
                if (waits == BusyWaits) throw new IOException($"{Path}: the bus is still converting after {BusyWaits} conversion times; another program may be triggering therm_bulk_read in a loop");
                await Task.Delay(_bus.ConversionTime(DeviceId), time, cancellationToken).ConfigureAwait(false);
            }
        }
        return Parse(await _bus.ReadSlaveAsync(DeviceId, cancellationToken).ConfigureAwait(false), Path);
    }

    /// <summary>Parses a <c>w1_slave</c> file's content; throws <see cref="IOException"/> for anything not a good reading.</summary>
    public static double Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2) throw new IOException($"{path}: expected two lines, got {lines.Length}; the sensor may have been unplugged");
        var crcLine = lines[0];
        var marker = crcLine.IndexOf(": crc=", StringComparison.Ordinal);
        if (marker < 0) throw new IOException($"{path}: first line '{ThermalZone.Truncate(crcLine)}' has no crc verdict");
        if (!crcLine.EndsWith("YES", StringComparison.Ordinal)) throw new IOException($"{path}: the kernel's CRC check failed (a noisy or long 1-Wire line; check the 4.7 kΩ pull-up)");
        var scratchpad = ParseBytes(crcLine[..marker], path);
        if (scratchpad.Length != 9) throw new IOException($"{path}: the scratchpad has {scratchpad.Length} bytes instead of 9");
        if (Crc8(scratchpad.AsSpan(0, 8)) != scratchpad[8]) throw new IOException($"{path}: scratchpad CRC mismatch although the kernel said YES");
        var tIndex = lines[1].IndexOf("t=", StringComparison.Ordinal);
        if (tIndex < 0 || !int.TryParse(lines[1].AsSpan(tIndex + 2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milli))
            throw new IOException($"{path}: second line '{ThermalZone.Truncate(lines[1])}' has no t= value");
        var raw = (short)(scratchpad[0] | (scratchpad[1] << 8));
        if (raw == PowerOnRaw) throw new IOException($"{path}: 85 °C power-on value: the conversion did not run (weak parasitic power?)");
        // 1/16 °C per LSB at 12-bit resolution; the kernel's t= must be the same number in millidegrees.
        if (Math.Abs((raw * 1000 / 16.0) - milli) > 1) throw new IOException($"{path}: t={milli} does not match the scratchpad ({raw / 16.0} °C)");
        return milli / 1000.0;
    }

    /// <summary>Dallas/Maxim CRC-8 (polynomial 0x31 reflected = 0x8C, initial 0), Maxim application note 27.</summary>
    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (var b in data)
        {
            var value = b;
            for (var i = 0; i < 8; i++)
            {
                var mix = (byte)((crc ^ value) & 0x01);
                crc >>= 1;
                if (mix != 0) crc ^= 0x8C;
                value >>= 1;
            }
        }
        return crc;
    }

    private static byte[] ParseBytes(string hex, string path)
    {
        var parts = hex.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var bytes = new byte[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                throw new IOException($"{path}: '{ThermalZone.Truncate(parts[i])}' is not a scratchpad byte");
        }
        return bytes;
    }
}
