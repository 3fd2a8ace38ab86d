using Gateway.Devices.NmeaGps;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Gpsd;

public sealed partial class GpsdSource
{
    /// <summary>One connection's reading: lines out of the stream, reports out of the lines.</summary>
    private sealed class Session(GpsdSource source, SourceContext context)
    {
        private readonly Lock _gate = new();
        private (GpsdReport Report, long At)? _sky;
        private (GpsdReport Tpv, long At)? _pending;
        private ITimer? _quiet;
        private bool _timedByToff;
        private DateTimeOffset _utcAtRead;
        private bool _loggedMalformed, _loggedOversized;

        /// <summary>Whether the last connection delivered a report (then the next reconnection starts from 1 s).</summary>
        public bool Delivered { get; private set; }

        /// <summary>
        /// Sends <c>?WATCH</c> and reads until gpsd closes the stream. <paramref name="buffer"/> holds one line at most
        /// (<see cref="MaxLineLength"/>); a longer one is counted and skipped to its newline without being kept.
        /// </summary>
        public async Task RunAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
        {
            Delivered = false;
            _sky = null;
            _timedByToff = false;
            using var quiet = context.Time.CreateTimer(_ => { lock (_gate) FlushPending(); }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _quiet = quiet;
            try
            {
                await ReadLinesAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _quiet = null;
                    FlushPending();
                }
            }
        }

        private async Task ReadLinesAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(WatchCommand.ToArray(), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            var length = Math.Min(buffer.Length, MaxLineLength);
            int filled = 0;
            var skipping = false;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled, length - filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // The connection ended inside a line: a truncated report.
                    if (filled > 0 && !skipping) Malformed(buffer.AsSpan(0, filled));
                    return;
                }
                var now = context.Time.GetTimestamp();
                _utcAtRead = context.Time.GetUtcNow(); // read together with now: the one map from system to monotonic time
                int start = 0, scan = filled;
                filled += read;
                int newline;
                while ((newline = buffer.AsSpan(scan, filled - scan).IndexOf((byte)'\n')) >= 0)
                {
                    var end = scan + newline;
                    if (skipping) skipping = false; // the tail of an oversized line
                    else OnLine(buffer.AsSpan(start, end - start), now);
                    start = scan = end + 1;
                }
                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
                if (filled < length) continue;
                // A full buffer without a newline: an oversized or endless line, counted once and dropped as it comes.
                if (!skipping)
                {
                    source.Statistics.CountOversized();
                    if (!_loggedOversized) LogOversized(context.Logger, source.Name, source.Endpoint.ToString(), MaxLineLength);
                    _loggedOversized = true;
                }
                skipping = true;
                filled = 0;
            }
        }

        private void OnLine(ReadOnlySpan<byte> line, long now)
        {
            line = line.TrimEnd("\r"u8).Trim(" \t"u8);
            if (line.IsEmpty) return;
            if (!GpsdJsonParser.TryParse(line, out var report))
            {
                Malformed(line);
                return;
            }
            source.Statistics.CountReport();
            Delivered = true;
            switch (report.Class)
            {
                case GpsdClass.Sky:
                    OnSky(report, now);
                    break;
                case GpsdClass.Tpv:
                    OnTpv(report, now);
                    break;
                case GpsdClass.Toff when report is { RealTime: { } real, ClockTime: { } clock }:
                    // gpsd's own receive time of the fix (its system clock when the fix's first byte came in) is closer
                    // to the second than this TPV's arrival after gpsd's end of cycle: it times the clock from now on.
                    if (ToMonotonic(clock, now) is { } received)
                    {
                        _timedByToff = true;
                        source.FixTimeReceived?.Invoke(new NmeaTimeFix(real, received));
                    }
                    break;
                case GpsdClass.Pps when report is { ClockTime: { } edge }:
                    if (ToMonotonic(edge, now) is { } at)
                    {
                        source.Statistics.CountPpsEdge();
                        source.PpsEdge?.Invoke(at);
                    }
                    break;
            }
        }

        /// <summary>
        /// A SKY goes with the TPV of its cycle: the one with its time, or, from a gpsd that does not stamp SKY (3.22),
        /// the one in the same burst (within <see cref="NmeaGpsSource.QuietPeriod"/>, before or after it). A TPV
        /// without its SKY yet is held that long, then posted without hdop and satellites: never with an older cycle's.
        /// </summary>
        private void OnSky(in GpsdReport sky, long now)
        {
            lock (_gate)
            {
                if (_pending is { } p && SameCycle(sky, now, p.Tpv, p.At))
                {
                    _pending = null;
                    Post(p.Tpv, p.At, sky);
                    return;
                }
                _sky = (sky, now);
            }
        }

        private void Malformed(ReadOnlySpan<byte> line)
        {
            source.Statistics.CountMalformed();
            if (!_loggedMalformed) LogMalformed(context.Logger, source.Name, source.Endpoint.ToString(), Printable(line));
            _loggedMalformed = true;
        }

        private void OnTpv(in GpsdReport tpv, long now)
        {
            if (!_timedByToff && tpv.HasFix && tpv.Time is { } utc) source.FixTimeReceived?.Invoke(new NmeaTimeFix(utc, now));
            lock (_gate)
            {
                FlushPending();
                var sky = _sky is { } s && SameCycle(s.Report, s.At, tpv, now) ? s.Report : (GpsdReport?)null;
                _sky = null;
                if (!tpv.HasFix) return;
                if (sky is not null) Post(tpv, now, sky);
                else
                {
                    _pending = (tpv, now);
                    _quiet?.Change(NmeaGpsSource.QuietPeriod, Timeout.InfiniteTimeSpan);
                }
            }
        }

        private bool SameCycle(in GpsdReport sky, long skyAt, in GpsdReport tpv, long tpvAt) =>
            sky.Time is { } t ? t == tpv.Time : context.Time.GetElapsedTime(Math.Min(skyAt, tpvAt), Math.Max(skyAt, tpvAt)) <= NmeaGpsSource.QuietPeriod;

        /// <summary>Posts the held TPV without a SKY (its burst ended, or the connection did). Under the gate.</summary>
        private void FlushPending()
        {
            if (_pending is not { } p) return;
            _pending = null;
            Post(p.Tpv, p.At, null);
        }

        private void Post(in GpsdReport tpv, long at, GpsdReport? sky)
        {
            source.Statistics.CountFix();
            lock (source._gate) source._lastFix = tpv;
            ReadOnlySpan<double> values =
            [
                tpv.Latitude!.Value, tpv.Longitude!.Value, tpv.Mode == 3 ? tpv.AltitudeMsl ?? double.NaN : double.NaN,
                tpv.Speed ?? double.NaN, tpv.Track ?? double.NaN, sky?.Hdop ?? double.NaN, sky?.SatellitesUsed ?? 0, tpv.Mode!.Value,
            ];
            context.Post(at, ReadingValues.From(values));
        }

        /// <summary>
        /// A time on gpsd's system clock as a monotonic timestamp, through this host's clock read with the line; null when it lies
        /// in the future or more than 10 s back (a clock step between the two, or gpsd on a machine whose clock differs).
        /// </summary>
        private long? ToMonotonic(DateTimeOffset systemTime, long now)
        {
            var age = _utcAtRead - systemTime;
            if (age < TimeSpan.Zero || age > TimeSpan.FromSeconds(10)) return null;
            return now - (long)(age.Ticks * (double)context.Time.TimestampFrequency / TimeSpan.TicksPerSecond);
        }

        /// <summary>The start of a bad line for the log, printable ASCII only (it came from the network).</summary>
        private static string Printable(ReadOnlySpan<byte> line)
        {
            var head = line[..Math.Min(line.Length, 60)];
            Span<char> chars = stackalloc char[head.Length];
            for (var i = 0; i < head.Length; i++) chars[i] = head[i] is >= 0x20 and < 0x7F ? (char)head[i] : '?';
            return new string(chars) + (line.Length > head.Length ? "..." : "");
        }
    }
}
