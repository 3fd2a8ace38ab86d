using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using Gateway.Devices.NmeaGps;

namespace Gateway.Cli.Commands.Gps;

/// <summary>
/// <c>gatewayctl gps replay [FILE] [--sky] [--date yyyy-mm-dd]</c>: decodes a receiver capture (or stdin) and prints
/// one gpsd-style JSON object per line per fix epoch (TPV; with <c>--sky</c> also SKY and GST), so an engineer can check
/// a receiver's capture and compare it with gpsd's <c>gpsdecode</c>.
/// </summary>
public static class GpsCommands
{
    /// <summary>Output is flushed in blocks of this size: one write per block, not per line.</summary>
    private const int FlushBytes = 64 * 1024;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string?>("FILE") { Description = "NMEA log to decode; '-' or nothing reads stdin", Arity = ArgumentArity.ZeroOrOne };
        var sky = new Option<bool>("--sky") { Description = "also print SKY (DOPs, satellites) and GST objects" };
        var date = new Option<string?>("--date")
        {
            Description = "reference date yyyy-mm-dd for two-digit years and GPS week rollover (overrides the log's '# Date:' headers)",
        };
        var replay = new Command("replay", "Decode an NMEA log into gpsd-style TPV (and SKY) JSON lines") { file, sky, date };
        replay.SetAction(parse =>
        {
            DateOnly? reference = null;
            if (parse.GetValue(date) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    error.WriteLine($"gatewayctl gps replay: --date must be yyyy-mm-dd, e.g. 2026-03-14; got '{text}'");
                    return 2;
                }
                reference = d;
            }
            var path = parse.GetValue(file);
            try
            {
                using var input = path is null or "-" ? Console.OpenStandardInput() : File.OpenRead(path);
                return Replay(input, output, parse.GetValue(sky), reference, error) > 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"gatewayctl gps replay: cannot read {path}: {ex.Message}");
                return 1;
            }
        });
        return new Command("gps", "GPS receiver tools") { replay };
    }

    /// <summary>
    /// Decodes <paramref name="input"/> into <paramref name="output"/>; statistics go to <paramref name="error"/>, and
    /// when no epoch could be printed, why. Returns the number of epochs printed.
    /// </summary>
    public static long Replay(Stream input, TextWriter output, bool sky, DateOnly? date, TextWriter error)
    {
        // The process's own stdout gets raw UTF-8 bytes; any other writer (tests) gets text.
        using var stdout = ReferenceEquals(output, Console.Out) ? Console.OpenStandardOutput() : null;
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        var replay = new NmeaLogReplay(date);
        var epochs = replay.Run(input, fix =>
        {
            GpsdJsonWriter.WriteTpv(buffer, fix);
            if (sky)
            {
                GpsdJsonWriter.WriteSky(buffer, fix, replay.Assembler.Satellites);
                GpsdJsonWriter.WriteGst(buffer, fix);
            }
            if (buffer.WrittenCount >= FlushBytes) Flush(buffer, stdout, output);
        });
        Flush(buffer, stdout, output);
        if (stdout is null) output.Flush();
        error.WriteLine($"gatewayctl gps replay: {replay.Statistics}");
        if (epochs == 0) error.WriteLine($"gatewayctl gps replay: nothing to print: {WhyNoEpoch(replay.Statistics)}");
        return epochs;
    }

    /// <summary>Why a log gave no epoch: an epoch needs a sentence with a UTC time (RMC, GGA, GLL or GNS).</summary>
    private static string WhyNoEpoch(NmeaStatistics statistics) => statistics.Sentences == 0
        ? $"no valid NMEA sentence in the input ({statistics.ChecksumErrors} checksum errors, {statistics.GarbageBytes} other bytes); " +
            "check that it is an NMEA capture and, for a serial capture, its baud rate"
        : $"none of the {statistics.Sentences} sentences carried a UTC time (RMC, GGA, GLL or GNS with its time field set): the receiver " +
            "had no time yet when this was captured (cold start, antenna without sky view), or the log holds no such sentence";

    private static void Flush(ArrayBufferWriter<byte> buffer, Stream? stdout, TextWriter output)
    {
        if (stdout is not null) stdout.Write(buffer.WrittenSpan);
        else output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
    }
}
