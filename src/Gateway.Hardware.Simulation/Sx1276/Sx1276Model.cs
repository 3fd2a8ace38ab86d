using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.Spi;

namespace Gateway.Hardware.Simulation.Sx1276;

/// <summary>
/// The SX1276's register interface as a receiver sees it (Semtech SX1276/77/78/79 datasheet Rev. 7): the SPI protocol
/// of §4.3 (wnr bit, address auto-increment, FIFO access through RegFifo at RegFifoAddrPtr), reset values of §6.4,
/// LongRangeMode changeable only in Sleep, write-1-to-clear RegIrqFlags, DIO0 raised on RxDone when RegDioMapping1
/// maps it so, NRESET on a GPIO line. <see cref="Receive"/> puts a packet "on the air": it lands in the FIFO only when
/// the chip is in LoRa continuous receive on the transmitter's frequency, spreading factor, bandwidth and sync word.
/// </summary>
public sealed partial class Sx1276Model : SpiDeviceModel
{
    private const byte RegFifo = 0x00, RegOpMode = 0x01, RegFrfMsb = 0x06, RegFrfMid = 0x07, RegFrfLsb = 0x08;
    private const byte RegFifoAddrPtr = 0x0D, RegFifoRxBaseAddr = 0x0F, RegFifoRxCurrentAddr = 0x10, RegIrqFlags = 0x12;
    private const byte RegRxNbBytes = 0x13, RegPktSnrValue = 0x19, RegPktRssiValue = 0x1A, RegRssiValue = 0x1B;
    private const byte RegModemConfig1 = 0x1D, RegModemConfig2 = 0x1E, RegFifoRxByteAddr = 0x25, RegSyncWord = 0x39;
    private const byte RegDioMapping1 = 0x40, RegVersion = 0x42;
    private const byte RxDone = 0x40, PayloadCrcError = 0x20, ValidHeader = 0x10;

    /// <summary>§6.2: the SX1276's silicon version.</summary>
    public const byte Version = 0x12;

    private static readonly int[] BandwidthHz = [7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000];

    private readonly Lock _gate = new();
    private readonly byte[] _registers = new byte[0x80];
    private readonly byte[] _fifo = new byte[256];
    private readonly SimulatedGpioChip _gpio;
    private readonly int _dio0Line;
    private byte _rxWrite;
    private bool _inReset;
    private bool _dead;

    /// <param name="gpio">The chip carrying NRESET and DIO0.</param>
    /// <param name="resetLine">NRESET's line, or null when not wired.</param>
    /// <param name="dio0Line">DIO0's line.</param>
    public Sx1276Model(SimulatedGpioChip gpio, int? resetLine, int dio0Line)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        _gpio = gpio;
        _dio0Line = dio0Line;
        ResetRegisters();
        if (resetLine is { } reset)
        {
            gpio.OutputChanged += (offset, level) =>
            {
                if (offset != reset) return;
                lock (_gate)
                {
                    // §7.2.2: the chip is held in reset while NRESET is low and starts from its reset values.
                    _inReset = !level;
                    if (_inReset)
                    {
                        ResetRegisters();
                        _dead = false;
                        Resets++;
                    }
                }
                if (!level) _gpio.Drive(_dio0Line, false);
            };
        }
    }

    /// <summary>The channel-wide noise floor the RSSI register reports when nothing is on the air, in dBm.</summary>
    public double NoiseFloorDbm { get; set; } = -118;

    /// <summary>Packets that landed in the FIFO.</summary>
    public long Received { get; private set; }

    /// <summary>Packets sent while the chip was not listening on their channel (wrong mode, frequency, SF, BW or sync word).</summary>
    public long Missed { get; private set; }

    /// <summary>Reset pulses seen on NRESET.</summary>
    public int Resets { get; private set; }

    /// <summary>Simulates a brown-out: registers return to their reset values (FSK standby, 434 MHz) without a reset pulse.</summary>
    public void BrownOut()
    {
        lock (_gate) ResetRegisters();
        _gpio.Drive(_dio0Line, false);
    }

    /// <summary>Simulates a chip that stops answering (MISO stuck low) until the next reset pulse.</summary>
    public void Hang()
    {
        lock (_gate) _dead = true;
    }

    /// <summary>The value of a register, for tests.</summary>
    public byte Peek(byte register)
    {
        lock (_gate) return _registers[register & 0x7F];
    }

    /// <inheritdoc/>
    public override void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        if (mosi.IsEmpty) return;
        bool? dio0 = null;
        lock (_gate)
        {
            miso.Clear();
            if (_inReset || _dead) return;
            var write = (mosi[0] & 0x80) != 0;
            var address = mosi[0] & 0x7F;
            for (var i = 1; i < mosi.Length; i++)
            {
                if (write) dio0 = WriteRegister((byte)address, mosi[i]) ?? dio0;
                else miso[i] = ReadRegister((byte)address);
                // §4.3: bursts auto-increment the address, except at RegFifo where the FIFO pointer moves instead.
                if (address != RegFifo) address = (address + 1) & 0x7F;
            }
        }
        if (dio0 is { } level) _gpio.Drive(_dio0Line, level);
    }

    private byte ReadRegister(byte address)
    {
        switch (address)
        {
            case RegFifo:
                return _fifo[_registers[RegFifoAddrPtr]++];
            case RegRssiValue:
                return RawRssi(NoiseFloorDbm);
            default:
                return _registers[address];
        }
    }

    /// <summary>Applies a register write; returns DIO0's new level when the write changed it.</summary>
    private bool? WriteRegister(byte address, byte value)
    {
        switch (address)
        {
            case RegFifo:
                _fifo[_registers[RegFifoAddrPtr]++] = value;
                return null;
            case RegOpMode:
                // RegOpMode bit 7 (LongRangeMode) can be modified only in Sleep mode (§6.4).
                var sleeping = (_registers[RegOpMode] & 0x07) == 0;
                var longRange = sleeping ? value & 0x80 : _registers[RegOpMode] & 0x80;
                _registers[RegOpMode] = (byte)(longRange | (value & 0x4F));
                if ((value & 0x07) == 5) _rxWrite = _registers[RegFifoRxBaseAddr];
                return null;
            case RegIrqFlags:
                _registers[RegIrqFlags] &= (byte)~value;
                return (_registers[RegIrqFlags] & RxDone) == 0 ? false : null;
            case RegVersion or RegRxNbBytes or RegPktSnrValue or RegPktRssiValue or RegFifoRxCurrentAddr or RegFifoRxByteAddr:
                return null; // read-only
            default:
                _registers[address] = value;
                return null;
        }
    }

    private void ResetRegisters()
    {
        Array.Clear(_registers);
        // §6.4 default values after reset (FSK/OOK mode, 434 MHz).
        _registers[RegOpMode] = 0x09;
        _registers[RegFrfMsb] = 0x6C;
        _registers[RegFrfMid] = 0x80;
        _registers[RegFrfLsb] = 0x00;
        _registers[0x09] = 0x4F;
        _registers[0x0C] = 0x20;
        _registers[0x0E] = 0x80;
        _registers[RegModemConfig1] = 0x72;
        _registers[RegModemConfig2] = 0x70;
        _registers[0x20] = 0x00;
        _registers[0x21] = 0x08;
        _registers[0x22] = 0x01;
        _registers[0x23] = 0xFF;
        _registers[0x31] = 0xC3;
        _registers[0x37] = 0x0A;
        _registers[RegSyncWord] = 0x12;
        _registers[RegVersion] = Version;
        _rxWrite = 0;
    }
}
