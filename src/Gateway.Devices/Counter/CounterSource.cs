using Gateway.Telemetry.Readings;

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
/// </remarks>
public sealed class CounterSource : ReadingSource
{
    /// <summary>Shortest timer period: 100 ticks a second is plenty to spread readings and cheap on a Pi.</summary>
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(10);

    /// <summary>The highest rate at which every reading gets its own millisecond timestamp (line protocol precision).</summary>
    public const double MaxDistinctRate = 1000;

    private readonly double _rate;
    private long _nextSeq;
    private long _refused;

    public CounterSource(string name, double ratePerSecond, long firstSeq = 1)
        : base(name, Measurements.Counter)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The counter rate must be a positive number of readings per second.");
        _rate = ratePerSecond;
        _nextSeq = firstSeq;
    }

    /// <summary>The seq the next reading will carry.</summary>
    public long NextSeq => Interlocked.Read(ref _nextSeq);

    /// <summary>Readings the sink refused (their seq values are gaps downstream).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = context.Time;
        var period = TimeSpan.FromSeconds(1 / _rate);
        using var timer = new PeriodicTimer(period < MinTick ? MinTick : period, time);
        var start = time.GetTimestamp();
        // A restarted source continues where it stopped, and the rate clock restarts with it.
        var posted = 0L;
        var origin = NextSeq;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var elapsed = time.GetElapsedTime(start).Ticks;
            // Integer ticks times the rate; the tiny epsilon keeps 0.1 s * 10/s from landing on 0.99999 readings.
            var due = (long)Math.Floor((elapsed * _rate / TimeSpan.TicksPerSecond) + 1e-9);
            for (; posted < due; posted++)
            {
                var seq = origin + posted;
                ReadOnlySpan<double> values = [seq];
                var scheduled = start + (long)((posted + 1) * (double)time.TimestampFrequency / _rate);
                if (!context.Post(scheduled, ReadingValues.From(values))) Interlocked.Increment(ref _refused);
                Interlocked.Exchange(ref _nextSeq, seq + 1);
            }
        }
    }
}
