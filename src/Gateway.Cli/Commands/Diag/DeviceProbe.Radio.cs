using System.Buffers;
using System.Globalization;
using Gateway.Agent.Composition;
using Gateway.Agent.Profiles;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Sx1276;
using Gateway.Hardware.Gpio;

namespace Gateway.Cli.Commands.Diag;

public sealed partial class DeviceProbe
{
    /// <summary>Ten RSSI samples this far apart span the second the noise floor is averaged over.</summary>
    private static readonly TimeSpan RssiSpacing = TimeSpan.FromMilliseconds(100);

    /// <summary>RegVersion, and the noise floor as the mean of RegRssiValue over a second of continuous receive.</summary>
    private async Task<ProbeResult> ProbeLoraAsync(LoraSourceProfile l, CancellationToken cancellationToken)
    {
        using var spi = hardware.OpenSpi(l);
        var chip = hardware.GpioChip(l.GpioChip);
        var driver = new Sx1276Driver(spi);
        var version = driver.ReadVersion();
        if (version != Sx1276Driver.ExpectedVersion)
            return Row(l, ProbeStatus.Missing, $"0x{version:X2}", "no SX1276 (RegVersion should read 0x12); check the HAT, CE0 and power");
        var receiving = Sx1276OpMode.FromByte(driver.Read(Sx1276Register.OpMode)) is { LongRangeMode: true, Mode: Sx1276Mode.ReceiveContinuous };
        var note = "receiving (the agent runs it)";
        if (!receiving)
        {
            // Not in use: reset and configure it as the agent would, so the RSSI register means something.
            GpioLineRequest? reset = null;
            try
            {
                if (l.ResetLine is { } r) reset = chip.RequestLines(new GpioRequestOptions([r], GpioDirection.Output, "gatewayctl-diag") { InitialValues = [true] });
                driver = new Sx1276Driver(spi, reset, l.ResetLine ?? 0);
                driver.Initialize(l.Plan);
                note = "configured for the probe";
            }
            finally
            {
                reset?.Dispose();
            }
        }
        var samples = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(driver.ReadRssi(l.Plan.LowFrequencyPort));
            await Task.Delay(RssiSpacing, cancellationToken).ConfigureAwait(false);
        }
        return Row(l, ProbeStatus.Found, $"0x{version:X2}", string.Create(CultureInfo.InvariantCulture,
            $"SX1276, {l.Plan.Region} {l.Plan.FrequencyHz / 1e6:F3} MHz SF{l.Plan.SpreadingFactor}, noise floor {samples.Average():F0} dBm, {note}"));
    }

    /// <summary>Counts checksum-valid NMEA sentences for <c>gpsListen</c>, by type.</summary>
    private async Task<ProbeResult> ProbeGpsAsync(GpsSourceProfile gps, CancellationToken cancellationToken)
    {
        // gpsd owns that receiver, and may serve other programs: it is not ours to open.
        if (gps.Gpsd is { } gpsd) return Row(gps, ProbeStatus.Skipped, "-", $"read through gpsd; check it with `gpspipe -w -n 10 {gpsd}`");
        // The port the agent would use (termios on a real gateway), opened by the first read.
        var serial = GpsComposition.OpenPort(gps, hardware is LinuxHardware ? HardwareMode.Linux : HardwareMode.Simulated, hardware);
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        var statistics = new NmeaStatistics();
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(gpsListen);
            var buffer = new byte[4096];
            var pending = new ArrayBufferWriter<byte>();
            while (!cts.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await serial.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                if (n == 0) break;
                pending.Write(buffer.AsSpan(0, n));
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.WrittenMemory));
                while (NmeaSentenceReader.TryRead(ref reader, out var sentence, statistics))
                {
                    total++;
                    var type = System.Text.Encoding.ASCII.GetString(sentence.Type);
                    types[type] = types.GetValueOrDefault(type) + 1;
                }
                var rest = pending.WrittenSpan[(int)reader.Consumed..].ToArray();
                pending.ResetWrittenCount();
                pending.Write(rest);
            }
        }
        finally
        {
            await serial.DisposeAsync().ConfigureAwait(false);
        }
        var seconds = gpsListen.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
        return total == 0
            ? Row(gps, ProbeStatus.Missing, "-", $"no NMEA sentence in {seconds} s; check the baud rate ({gps.BaudRate}), TX/RX wiring and that no getty holds the port")
            : Row(gps, ProbeStatus.Found, "-", $"{total} sentences in {seconds} s ({string.Join(", ", types.Select(t => $"{t.Key} {t.Value}"))})");
    }
}
