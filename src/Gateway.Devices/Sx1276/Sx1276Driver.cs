using Gateway.Hardware.Gpio;
using Gateway.Hardware.Spi;

namespace Gateway.Devices.Sx1276;

/// <summary>
/// Semtech SX1276 LoRa transceiver on SPI (SX1276/77/78/79 datasheet Rev. 7), used as a receiver: reset through the
/// NRESET line, version check, LoRa mode, channel and modulation from a <see cref="LoraRegionPlan"/>, continuous
/// receive with DIO0 mapped to RxDone, packets read from the FIFO with their RSSI and SNR. Not thread-safe: one caller.
/// </summary>
public sealed partial class Sx1276Driver
{
    /// <summary>§6.2 RegVersion: 0x12 on the SX1276 (and the RFM95/96 modules built on it).</summary>
    public const byte ExpectedVersion = 0x12;

    /// <summary>The largest LoRa payload (RegPayloadMaxLength is a byte).</summary>
    public const int MaxPayload = 255;

    /// <summary>§4.1.4: F_RF = F_STEP × Frf, F_STEP = F_XOSC / 2^19 with the 32 MHz crystal.</summary>
    private const double FStep = 32_000_000.0 / (1 << 19);

    private readonly SpiDevice _spi;
    private readonly GpioLineRequest? _reset;
    private readonly int _resetLine;
    private LoraRegionPlan? _plan;

    /// <param name="spi">The chip's SPI device; stays the caller's.</param>
    /// <param name="reset">An output request holding the NRESET line (logical true = released), or null when NRESET is not wired.</param>
    /// <param name="resetLine">The line offset in <paramref name="reset"/>.</param>
    public Sx1276Driver(SpiDevice spi, GpioLineRequest? reset = null, int resetLine = 0)
        : this(spi, reset, resetLine, null)
    {
    }

    /// <param name="spi">The chip's SPI device; stays the caller's.</param>
    /// <param name="reset">An output request holding the NRESET line (logical true = released), or null when NRESET is not wired.</param>
    /// <param name="resetLine">The line offset in <paramref name="reset"/>.</param>
    /// <param name="statistics">Counters to add to (shared across re-creations of the driver), or null for new ones.</param>
    internal Sx1276Driver(SpiDevice spi, GpioLineRequest? reset, int resetLine, Sx1276Statistics? statistics)
    {
        ArgumentNullException.ThrowIfNull(spi);
        _spi = spi;
        _reset = reset;
        _resetLine = resetLine;
        Statistics = statistics ?? new Sx1276Statistics();
    }

    /// <summary>Packets, CRC errors and resets counted by this driver (the source's, when it passed its own).</summary>
    internal Sx1276Statistics Statistics { get; }

    /// <summary>The plan applied by <see cref="Initialize"/>.</summary>
    public LoraRegionPlan Plan => _plan ?? throw new InvalidOperationException("Call Initialize() first.");

    /// <summary>The RegOpMode value continuous receive leaves in the chip; a health check compares against it.</summary>
    private byte ReceiveOpMode => new Sx1276OpMode(true, false, Plan.LowFrequencyPort, Sx1276Mode.ReceiveContinuous).ToByte();

    /// <summary>
    /// §7.2.2 manual reset: NRESET low for more than 100 µs, then released; the chip is ready 5 ms later. Waits on
    /// the thread (a reset is rare and short).
    /// </summary>
    public void Reset()
    {
        if (_reset is null) return;
        _reset.SetValue(_resetLine, false);
        Thread.Sleep(1);
        _reset.SetValue(_resetLine, true);
        Thread.Sleep(10);
    }

    /// <summary>Reads RegVersion.</summary>
    public byte ReadVersion() => Read(Sx1276Register.Version);

    /// <summary>
    /// Resets the chip, checks that it is an SX1276, configures LoRa reception per <paramref name="plan"/> and starts
    /// continuous receive. Throws <see cref="IOException"/> when no SX1276 answers.
    /// </summary>
    public void Initialize(LoraRegionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        Reset();
        var version = ReadVersion();
        if (version != ExpectedVersion)
        {
            throw new IOException(
                $"no SX1276 on {_spi.Settings}: RegVersion 0x{version:X2} (expected 0x{ExpectedVersion:X2}); check the HAT's seating, the chip select (CE0), 3.3 V power and the reset line in the profile");
        }
        // §4.1.1 / RegOpMode: LongRangeMode may only change in Sleep, so go to FSK sleep, then LoRa sleep.
        var lf = plan.LowFrequencyPort;
        Write(Sx1276Register.OpMode, new Sx1276OpMode(false, false, lf, Sx1276Mode.Sleep).ToByte());
        Write(Sx1276Register.OpMode, new Sx1276OpMode(true, false, lf, Sx1276Mode.Sleep).ToByte());
        var frf = (uint)Math.Round(plan.FrequencyHz / FStep);
        Write(Sx1276Register.FrfMsb, (byte)(frf >> 16));
        Write(Sx1276Register.FrfMid, (byte)(frf >> 8));
        Write(Sx1276Register.FrfLsb, (byte)frf);
        // The whole 256-byte FIFO is for reception: RX base 0 (§4.1.2.3).
        Write(Sx1276Register.FifoRxBaseAddr, 0x00);
        Write(Sx1276Register.FifoAddrPtr, 0x00);
        // Maximum LNA gain (G1), boost on the HF port only (§5.5.3: LnaBoostHf = 11 gives 150% LNA current).
        Write(Sx1276Register.Lna, new Sx1276Lna(1, 0, lf ? 0 : 3).ToByte());
        Write(Sx1276Register.ModemConfig1, new Sx1276ModemConfig1(plan.Bandwidth, plan.CodingRate, ImplicitHeader: false).ToByte());
        Write(Sx1276Register.ModemConfig2, new Sx1276ModemConfig2(plan.SpreadingFactor, false, plan.PayloadCrc, 0).ToByte());
        Write(Sx1276Register.ModemConfig3, new Sx1276ModemConfig3(plan.LowDataRateOptimize, AgcAutoOn: true).ToByte());
        Write(Sx1276Register.PreambleMsb, (byte)(plan.PreambleLength >> 8));
        Write(Sx1276Register.PreambleLsb, (byte)plan.PreambleLength);
        Write(Sx1276Register.MaxPayloadLength, 0xFF);
        // §6.4 / errata note: DetectOptimize 0xC3 and DetectionThreshold 0x0A for SF7-12 (SF6 needs 0xC5 / 0x0C).
        Write(Sx1276Register.DetectOptimize, 0xC3);
        Write(Sx1276Register.DetectionThreshold, 0x0A);
        Write(Sx1276Register.SyncWord, plan.SyncWord);
        // Dio0Mapping = 00: DIO0 rises on RxDone in LoRa mode (§4.1.6, table 18).
        Write(Sx1276Register.DioMapping1, 0x00);
        Write(Sx1276Register.IrqFlagsMask, 0x00);
        Write(Sx1276Register.IrqFlags, 0xFF);
        Write(Sx1276Register.OpMode, new Sx1276OpMode(true, false, lf, Sx1276Mode.Standby).ToByte());
        Write(Sx1276Register.OpMode, ReceiveOpMode);
    }

    /// <summary>
    /// True when the chip still answers with its version and is still in LoRa continuous receive with our channel.
    /// A brown-out or an ESD hit resets the chip to FSK standby at 434 MHz, which this notices.
    /// </summary>
    public bool IsHealthy(out string problem)
    {
        var version = ReadVersion();
        if (version != ExpectedVersion)
        {
            problem = $"RegVersion reads 0x{version:X2} instead of 0x{ExpectedVersion:X2}";
            return false;
        }
        var opMode = Read(Sx1276Register.OpMode);
        if (opMode != ReceiveOpMode)
        {
            problem = $"RegOpMode is 0x{opMode:X2} instead of 0x{ReceiveOpMode:X2} (continuous LoRa receive)";
            return false;
        }
        var frf = (Read(Sx1276Register.FrfMsb) << 16) | (Read(Sx1276Register.FrfMid) << 8) | Read(Sx1276Register.FrfLsb);
        if (frf != (int)Math.Round(Plan.FrequencyHz / FStep))
        {
            problem = $"the frequency registers read {frf * FStep / 1e6:F4} MHz instead of {Plan.FrequencyHz / 1e6:F4} MHz";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>Resets and re-initialises with the same plan, counting it.</summary>
    public void Recover()
    {
        Statistics.OnReset();
        Initialize(Plan);
    }
}
