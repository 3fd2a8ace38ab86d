using System.Globalization;
using Gateway.Hardware.OneWire;

namespace Gateway.Hardware.Simulation.OneWire;

/// <summary>What a simulated thermometer's next conversion goes wrong with.</summary>
public enum W1Fault
{
    /// <summary>The conversion succeeds.</summary>
    None,

    /// <summary>The scratchpad arrives with a bad CRC; the kernel prints <c>crc=.. NO</c>.</summary>
    Crc,

    /// <summary>The conversion never ran: the scratchpad holds the 85 °C power-on value.</summary>
    PowerOnValue,
}

/// <summary>
/// A 1-Wire bus of DS18B20s as w1_therm presents it (drivers/w1/slaves/w1_therm.c), on a <see cref="TimeProvider"/>:
/// a bulk trigger sets every sensor converting (state -1) and completes after the conversion time, leaving the results
/// ready (state 1); a <c>w1_slave</c> read then returns the scratchpad latched at the end of that conversion without
/// converting again (back to 0); a read with nothing pending converts itself and completes after the conversion time;
/// a read during a bulk conversion is empty. Where the kernel sleeps in the caller's thread, this model waits on the
/// clock, so a test can show that the driver waits without holding a thread. With <c>bulkRead: false</c> the master has
/// no <c>therm_bulk_read</c> (kernels before 5.8).
/// </summary>
/// <param name="time">The clock conversions take their time on.</param>
/// <param name="bulkRead">Whether the bus master offers <c>therm_bulk_read</c>.</param>
public sealed class SimulatedW1Bus(TimeProvider time, bool bulkRead = true) : W1Bus
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Thermometer> _devices = new(StringComparer.Ordinal);
    private readonly long _start = time.GetTimestamp();
    private int _conversions;

    /// <summary>Conversions run so far (bulk triggers and converting reads).</summary>
    public int Conversions => Volatile.Read(ref _conversions);

    /// <summary>Adds a DS18B20; without a temperature function it drifts slowly around 24 °C (+1 °C per device added).</summary>
    public void Add(string deviceId, Func<double>? celsius = null)
    {
        lock (_gate)
        {
            var offset = _devices.Count;
            _devices[deviceId] = new Thermometer(celsius ?? (() => 24 + offset + (3 * Math.Sin(2 * Math.PI * Seconds() / 3600))));
        }
    }

    /// <summary>Unplugs a device: its directory disappears.</summary>
    public void Remove(string deviceId)
    {
        lock (_gate) _devices.Remove(deviceId);
    }

    /// <summary>Makes the device's next conversion fail with <paramref name="fault"/>.</summary>
    public void Inject(string deviceId, W1Fault fault)
    {
        lock (_gate) Device(deviceId).Fault = fault;
    }

    /// <summary>Sets the device's resolution (9..12 bits), which sets its conversion time.</summary>
    public void SetResolution(string deviceId, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 12);
        lock (_gate) Device(deviceId).Resolution = bits;
    }

    /// <inheritdoc/>
    public override string SlavePath(string deviceId) => $"/sys/bus/w1/devices/{deviceId}/w1_slave";

    /// <inheritdoc/>
    public override bool Exists(string deviceId)
    {
        lock (_gate) return _devices.ContainsKey(deviceId);
    }

    /// <inheritdoc/>
    public override bool HasBulkRead(string deviceId) => bulkRead && Exists(deviceId);

    /// <inheritdoc/>
    public override async ValueTask TriggerBulkReadAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (!bulkRead) throw new IOException("this bus master has no therm_bulk_read");
        TimeSpan longest;
        lock (_gate)
        {
            longest = _devices.Values.Select(d => Ds18b20ConversionTime(d.Resolution)).DefaultIfEmpty(TimeSpan.Zero).Max();
            foreach (var device in _devices.Values) device.State = -1;
            _conversions++;
        }
        // The kernel returns from the write after the longest conversion on the bus and then marks every sensor done,
        // even when the sleep was interrupted (w1_therm.c trigger_bulk_read, label set_flag).
        try
        {
            await Task.Delay(longest, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                foreach (var device in _devices.Values)
                {
                    device.Latch();
                    device.State = 1;
                }
            }
        }
    }

    /// <inheritdoc/>
    public override int ReadBulkState(string deviceId)
    {
        if (!bulkRead) throw new IOException("this bus master has no therm_bulk_read");
        lock (_gate)
        {
            // therm_bulk_read_show: -1 if any sensor converts, else 1 if any result is unread, else 0.
            var states = _devices.Values.Select(d => d.State).ToList();
            return states.Contains(-1) ? -1 : states.Contains(1) ? 1 : 0;
        }
    }

    /// <inheritdoc/>
    public override TimeSpan ConversionTime(string deviceId)
    {
        lock (_gate) return Ds18b20ConversionTime(Device(deviceId).Resolution);
    }

    /// <inheritdoc/>
    public override async ValueTask<string> ReadSlaveAsync(string deviceId, CancellationToken cancellationToken)
    {
        Thermometer device;
        lock (_gate)
        {
            device = Device(deviceId);
            switch (device.State)
            {
                case -1:
                    return ""; // w1_slave_show: "Conversion in progress, retry later"
                case 1:
                    device.State = 0;
                    return device.Latched;
            }
            _conversions++;
        }
        await Task.Delay(Ds18b20ConversionTime(device.Resolution), time, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            device.Latch();
            return device.Latched;
        }
    }

    /// <summary>The w1_slave text for a temperature: 12-bit scratchpad (1/16 °C), config 0x7F, Maxim CRC-8.</summary>
    public static string W1Slave(double celsius, bool crcOk = true)
    {
        var raw = (short)Math.Round(celsius * 16);
        byte[] pad = [(byte)raw, (byte)(raw >> 8), 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0x00];
        pad[8] = Crc8(pad.AsSpan(0, 8));
        if (!crcOk) pad[8] ^= 0x5A;
        var hex = string.Join(' ', pad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var milli = raw * 1000 / 16;
        return $"{hex} : crc={pad[8]:x2} {(crcOk ? "YES" : "NO")}\n{hex} t={milli.ToString(CultureInfo.InvariantCulture)}\n";
    }

    /// <summary>Maxim CRC-8 (AN27), written independently of the driver's.</summary>
    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x8C : crc >> 1;
        }
        return (byte)crc;
    }

    private Thermometer Device(string deviceId) =>
        _devices.TryGetValue(deviceId, out var device) ? device : throw new IOException($"{SlavePath(deviceId)} does not exist");

    private double Seconds() => time.GetElapsedTime(_start).TotalSeconds;

    private sealed class Thermometer(Func<double> celsius)
    {
        public int State { get; set; }

        public int Resolution { get; set; } = 12;

        public W1Fault Fault { get; set; }

        public string Latched { get; private set; } = "";

        /// <summary>The end of a conversion: the scratchpad takes the temperature of this moment (or the fault).</summary>
        public void Latch()
        {
            Latched = Fault switch
            {
                W1Fault.Crc => W1Slave(celsius(), crcOk: false),
                W1Fault.PowerOnValue => W1Slave(85),
                _ => W1Slave(celsius()),
            };
            Fault = W1Fault.None;
        }
    }
}
