using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Gps;

/// <summary>
/// Plays a captured NMEA log into a pseudo-terminal as the receiver sent it: each cycle (the sentences that share a
/// UTC time field) starts at its own time relative to the first, and its bytes go out at the baud rate. Playing the
/// whole file back to back instead would make a 1 s cycle arrive in a fifth of a second, and a GPS-disciplined clock
/// would rightly refuse a receiver whose seconds run five times too fast.
/// </summary>
internal sealed class NmeaLogPlayer
{
    private readonly List<(TimeSpan Time, byte[] Bytes)> _cycles = [];

    /// <param name="maxCycles">Play only the first cycles, to keep the test short.</param>
    /// <param name="skipCycles">Start after this many cycles of the log.</param>
    /// <param name="untimed">Play the sentences without a time field too (else only GGA, RMC and the like).</param>
    public NmeaLogPlayer(string path, int maxCycles, int skipCycles = 0, bool untimed = false)
    {
        var skipped = 0;
        TimeSpan? skipping = null;
        foreach (var raw in File.ReadAllText(path, Encoding.ASCII).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith('$')) continue; // '#' headers are the capture's, not the receiver's
            var fields = line.Split(',');
            if (fields.Length < 2 || !TryParseTime(fields[1], out var time))
            {
                // Untimed sentences (GSA, GSV, VTG) go with the cycle they arrive in, when asked for.
                if (untimed && skipping is null && _cycles.Count > 0) _cycles[^1] = (_cycles[^1].Time, [.. _cycles[^1].Bytes, .. Encoding.ASCII.GetBytes(line + "\r\n")]);
                continue;
            }
            if (skipped < skipCycles || skipping == time)
            {
                if (skipping != time) skipped++;
                skipping = time;
                continue;
            }
            skipping = null;
            if (_cycles.Count == 0 || _cycles[^1].Time != time)
            {
                if (_cycles.Count == maxCycles) break;
                _cycles.Add((time, []));
            }
            _cycles[^1] = (time, [.. _cycles[^1].Bytes, .. Encoding.ASCII.GetBytes(line + "\r\n")]);
        }
    }

    /// <summary>Every byte that will be played, for decoding the same input as a reference.</summary>
    public byte[] Bytes => _cycles.SelectMany(c => c.Bytes).ToArray();

    /// <param name="speed">How many times faster than the receiver sent them (for a peer that does not mind, like gpsd).</param>
    public async Task PlayAsync(Stream feed, int baud, CancellationToken cancellationToken, double speed = 1)
    {
        var clock = Stopwatch.StartNew();
        foreach (var (time, bytes) in _cycles)
        {
            var wait = ((time - _cycles[0].Time) / speed) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            await PtyPair.PlayAsync(feed, bytes, baud, cancellationToken);
        }
    }

    private static bool TryParseTime(string field, out TimeSpan time) =>
        TimeSpan.TryParseExact(field, [@"hhmmss\.FFF", "hhmmss"], CultureInfo.InvariantCulture, out time);
}
