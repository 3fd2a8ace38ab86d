namespace Gateway.Hardware.Simulation.Sx1276;

public sealed partial class Sx1276Model
{
    /// <summary>
    /// A packet arrives over the air on <paramref name="channel"/> with the given signal strength and SNR. It is
    /// received only in LoRa continuous receive with matching settings; then the FIFO, RegRxNbBytes,
    /// RegFifoRxCurrentAddr, the packet SNR/RSSI registers and RegIrqFlags are set and DIO0 rises (mapping 00 =
    /// RxDone). <paramref name="crcError"/> simulates a packet corrupted on the air (PayloadCrcError set as well).
    /// Returns whether the chip took it.
    /// </summary>
    public bool Receive(ReadOnlySpan<byte> payload, SimulatedLoraChannel channel, double rssiDbm, double snrDb, bool crcError = false)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (payload.Length is 0 or > 255) throw new ArgumentException("A LoRa payload is 1..255 bytes.", nameof(payload));
        bool raise;
        lock (_gate)
        {
            if (_inReset || _dead || !Listening(channel))
            {
                Missed++;
                return false;
            }
            var start = _rxWrite;
            for (var i = 0; i < payload.Length; i++) _fifo[(byte)(start + i)] = crcError && i == payload.Length / 2 ? (byte)~payload[i] : payload[i];
            _rxWrite = (byte)(start + payload.Length);
            _registers[RegFifoRxCurrentAddr] = start;
            _registers[RegFifoRxByteAddr] = _rxWrite;
            _registers[RegRxNbBytes] = (byte)payload.Length;
            var snrRaw = (sbyte)Math.Clamp(Math.Round(snrDb * 4), sbyte.MinValue, sbyte.MaxValue);
            _registers[RegPktSnrValue] = (byte)snrRaw;
            _registers[RegPktRssiValue] = PacketRssiRaw(rssiDbm, snrRaw);
            _registers[RegIrqFlags] |= (byte)(RxDone | ValidHeader | (crcError ? PayloadCrcError : 0));
            raise = (_registers[RegDioMapping1] >> 6) == 0;
            Received++;
        }
        if (raise) _gpio.Drive(_dio0Line, true);
        return true;
    }

    private bool Listening(SimulatedLoraChannel channel)
    {
        var opMode = _registers[RegOpMode];
        if ((opMode & 0x80) == 0 || (opMode & 0x07) != 5) return false;
        var frf = (_registers[RegFrfMsb] << 16) | (_registers[RegFrfMid] << 8) | _registers[RegFrfLsb];
        var frequency = frf * (32_000_000.0 / (1 << 19));
        var bwCode = _registers[RegModemConfig1] >> 4;
        if (bwCode >= BandwidthHz.Length || BandwidthHz[bwCode] != channel.BandwidthHz) return false;
        // A LoRa demodulator tolerates a carrier offset of about a quarter of the bandwidth (AN1200.22 §4).
        if (Math.Abs(frequency - channel.FrequencyHz) > channel.BandwidthHz / 4.0) return false;
        return _registers[RegModemConfig2] >> 4 == channel.SpreadingFactor && _registers[RegSyncWord] == channel.SyncWord;
    }

    private bool LowFrequencyPort => (_registers[RegFrfMsb] << 16 | _registers[RegFrfMid] << 8 | _registers[RegFrfLsb]) * (32_000_000.0 / (1 << 19)) < 525_000_000;

    /// <summary>RegRssiValue for a signal level: the inverse of RSSI = offset + RssiValue (§5.5.5).</summary>
    private byte RawRssi(double dbm) => (byte)Math.Clamp(Math.Round(dbm - (LowFrequencyPort ? -164 : -157)), 0, 255);

    /// <summary>RegPktRssiValue: the inverse of §5.5.5's packet formula, so a driver using it recovers <paramref name="rssiDbm"/>.</summary>
    private byte PacketRssiRaw(double rssiDbm, sbyte snrRaw)
    {
        var offset = LowFrequencyPort ? -164.0 : -157.0;
        var raw = snrRaw >= 0 ? (rssiDbm - offset) * 15.0 / 16.0 : rssiDbm - offset - (snrRaw * 0.25);
        return (byte)Math.Clamp(Math.Round(raw), 0, 255);
    }
}
