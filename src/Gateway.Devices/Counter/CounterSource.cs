using Gateway.Devices.Pacing;
using Gateway.Telemetry.Readings;
using Gateway.Core.Counters;

namespace Gateway.Devices.Counter;

/// <summary>
/// A synthetic source for reliability tests and demos: posts <see cref="Measurements.Counter"/> readings whose
/// <c>seq</c> rises by exactly one, at an average of <c>ratePerSecond</c>. Any gap in <c>seq</c> downstream is a lost
/// reading.
/// </summary>
/// <remarks>
/// High rates (thousands per second) run off one timer: each tick posts however many readings are due by elapsed
/// monotonic time (due = ⌊elapsed · rate⌋), so the average rate is exact and independent of timer jitter. When the sink
/// refuses a reading (pipeline full in DropWrite mode) the seq is still consumed: the pipeline has counted the drop,
/// and the gap it leaves in the store shows the loss instead of hiding it; re-offering the same seq would make a full
/// pipeline look lossless.
/// Each reading is stamped with its scheduled time (start + n / rate), not with the tick that posted it: a point in the
/// store is identified by measurement, tags and millisecond timestamp, so two readings posted in one tick would
/// otherwise share a timestamp and the store would keep only the last of them. Scheduled times are distinct
/// milliseconds up to <see cref="MaxDistinctRate"/> readings a second.
/// The rate can change while it runs (<see cref="IRateAdjustable"/>): readings due before the change keep the old
/// schedule, and the new one starts at the moment of the change, so seq stays gapless and timestamps keep rising.
/// </remarks>
public sealed class CounterSource : ReadingSource, IRateAdjustable
{
    /// <summary>Shortest timer period: 100 ticks a second is plenty to spread readings and cheap on a Pi.</summary>
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(10);

    /// <summary>The highest rate at which every reading gets its own millisecond timestamp (line protocol precision).</summary>
    public const double MaxDistinctRate = 1000;

    private static readonly RateLimit DistinctLimit = new(MaxDistinctRate,
        "faster readings would share a millisecond timestamp and the store would keep only one of each pair (line protocol precision)");

    private readonly SamplePace _pace;
    private readonly Lock _gate = new();
    private TimeProvider? _running;
    private (double Rate, long At)? _change;
    private long _nextSeq;
    private readonly AtomicCounter _refused = new();

    /// <param name="name">The source name (the <c>sensor</c> tag of its readings).</param>
    /// <param name="ratePerSecond">Average readings per second; positive, at most <see cref="MaxDistinctRate"/> through set-rate.</param>
    /// <param name="firstSeq">The seq of the first reading: the agent continues a counter across its restarts, so seq never repeats in the store.</param>
    public CounterSource(string name, double ratePerSecond, long firstSeq = 1)
        : base(name, Measurements.Counter)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The counter rate must be a positive number of readings per second.");
        _pace = new SamplePace(ratePerSecond, MinTick);
        _nextSeq = firstSeq;
    }

    /// <summary>The seq the next reading will carry.</summary>
    public long NextSeq => Interlocked.Read(ref _nextSeq);

    /// <summary>Readings the sink refused (their seq values are gaps downstream).</summary>
    public long Refused => _refused.Value;

    /// <inheritdoc/>
    public double RatePerSecond => _pace.RatePerSecond;

    /// <summary><see cref="MaxDistinctRate"/>, with the reason: faster readings would share millisecond timestamps.</summary>
    RateLimit? IRateAdjustable.MaxRate => DistinctLimit;

    /// <inheritdoc/>
    public bool TrySetRate(double ratePerSecond, out double previous, out string? problem)
    {
        lock (_gate)
        {
            if (!_pace.TrySetRate(ratePerSecond, DistinctLimit, out previous, out problem)) return false;
            // The run applies it at its next tick, from this moment; a later change before that tick replaces it.
            if (_running is { } time) _change = (ratePerSecond, time.GetTimestamp());
            return true;
        }
    }

    /// <summary>
    /// Posts the readings due at each tick until cancelled; a restarted run continues at <see cref="NextSeq"/>. Never
    /// fails on its own.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = context.Time;
        double rate;
        long start;
        lock (_gate)
        {
            _running = time;
            _change = null;
            rate = _pace.RatePerSecond;
            start = time.GetTimestamp();
        }
        try
        {
            using var timer = _pace.Start(time);
            // A restarted source continues where it stopped, and the rate clock restarts with it. Reading n (from 1)
            // of the current schedule is due at start + n / rate.
            var posted = 0L;
            var origin = NextSeq;
            var last = start;
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                (double Rate, long At)? change;
                lock (_gate)
                {
                    change = _change;
                    _change = null;
                }
                if (change is { } c)
                {
                    PostDue(c.At);
                    // Never before the last reading: a tick may have posted past the change's moment already.
                    (start, rate, posted, origin) = (Math.Max(c.At, last), c.Rate, 0, NextSeq);
                }
                PostDue(time.GetTimestamp());
            }

            void PostDue(long now)
            {
                // Integer ticks times the rate; the tiny epsilon keeps 0.1 s * 10/s from landing on 0.99999 readings.
                var due = (long)Math.Floor((time.GetElapsedTime(start, now).Ticks * rate / TimeSpan.TicksPerSecond) + 1e-9);
                for (; posted < due; posted++)
                {
                    var seq = origin + posted;
                    ReadOnlySpan<double> values = [seq];
                    last = start + (long)((posted + 1) * (double)time.TimestampFrequency / rate);
                    if (!context.Post(last, ReadingValues.From(values))) _refused.Increment();
                    Interlocked.Exchange(ref _nextSeq, seq + 1);
                }
            }
        }
        finally
        {
            lock (_gate) _running = null;
        }
    }
}
