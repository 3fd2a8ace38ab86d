using Gateway.Ingest.Store;
using Microsoft.Extensions.Logging;
using Gateway.Core.Timing;

namespace Gateway.Ingest.Batching;

/// <summary>
/// Writes one batch until the store holds every line it will ever accept, and only then returns: the caller
/// acknowledges the batch's messages after this (never before), so a line that is not in the store is still the
/// broker's. Outcomes (DESIGN §5): retryable or unauthorized (counted apart) → back off and retry (forever: the broker holds the backlog meanwhile);
/// throttled → wait as told by Retry-After; too large → split at a line boundary and write the halves; permanent →
/// bisect down to the offending lines, drop and count those, write the rest (stores differ: 1.x writes the good lines
/// of a 400, 2.x may write none, so only bisecting gives "the rest written" everywhere; re-writing a line that was
/// already written is harmless, the store overwrites identical points).
/// </summary>
public sealed partial class BatchWriter
{
    public static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on an honoured Retry-After: a bad header must not park the ingest for a day.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    private readonly StoreWriter _store;
    private readonly IngestStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OncePerKind _logged = new();
    private int _failing;

    public BatchWriter(StoreWriter store, IngestStatistics statistics, TimeProvider time, ILogger logger)
    {
        _store = store;
        _statistics = statistics;
        _time = time;
        _logger = logger;
    }

    /// <summary>True while the last attempt failed for a reason other than the data (the store is down, throttling, ...).</summary>
    public bool StoreFailing => Volatile.Read(ref _failing) != 0;

    /// <summary>
    /// Writes <paramref name="lines"/> (<paramref name="count"/> whole lines). Returns when every line is written or
    /// dropped as permanently bad; throws <see cref="OperationCanceledException"/> only when cancelled, and then the
    /// batch must not be acknowledged.
    /// </summary>
    /// <param name="prepared">
    /// <paramref name="lines"/> already prepared by <see cref="StoreWriter.Prepare"/> (compressed while earlier writes
    /// were in flight), or null to prepare them here. Stays the caller's; halves of a split batch are prepared here.
    /// </param>
    public async Task WriteAsync(ReadOnlyMemory<byte> lines, int count, CancellationToken cancellationToken, StoreBody? prepared = null)
    {
        using var own = prepared is null ? _store.Prepare(lines) : null;
        var body = prepared ?? own!;
        var backoff = new Backoff(MinRetry, MaxRetry, jitter: 0.2);
        while (true)
        {
            var started = _time.GetTimestamp();
            var result = await _store.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            _statistics.WriteTime(_time.GetElapsedTime(started));
            switch (result.Outcome)
            {
                case StoreWriteOutcome.Written:
                    _statistics.Written(count, _time.GetUtcNow().ToUnixTimeMilliseconds());
                    if (Interlocked.Exchange(ref _failing, 0) != 0) LogStoreBack(_logger, _store.Describe);
                    _logged.Clear("store");
                    return;
                case StoreWriteOutcome.Permanent when count > 1 && LineSplit.Halve(lines) is ({ Length: > 0 } first, { Length: > 0 } second):
                    await WriteAsync(first, LineSplit.Count(first.Span), cancellationToken).ConfigureAwait(false);
                    await WriteAsync(second, LineSplit.Count(second.Span), cancellationToken).ConfigureAwait(false);
                    return;
                case StoreWriteOutcome.Permanent:
                    _statistics.Rejected(count);
                    if (_logged.First($"rejected/{Truncate(result.Message)}")) LogRejected(_logger, count, result.Message ?? "", Preview(lines));
                    return;
                case StoreWriteOutcome.TooLarge when count > 1 && LineSplit.Halve(lines) is ({ Length: > 0 } first, { Length: > 0 } second):
                    _statistics.Split();
                    await WriteAsync(first, LineSplit.Count(first.Span), cancellationToken).ConfigureAwait(false);
                    await WriteAsync(second, LineSplit.Count(second.Span), cancellationToken).ConfigureAwait(false);
                    return;
                case StoreWriteOutcome.TooLarge:
                    // One line larger than the store's body limit can never be written: it is bad data for this store.
                    _statistics.Rejected(count);
                    if (_logged.First("toolarge")) LogRejected(_logger, count, $"a single line of {lines.Length} bytes is larger than the store accepts ({result.Message})", Preview(lines));
                    return;
                default:
                    Volatile.Write(ref _failing, 1);
                    _statistics.Retry();
                    if (result.Outcome == StoreWriteOutcome.Unauthorized) _statistics.AuthFailure();
                    var next = backoff.Next();
                    var delay = result.Outcome == StoreWriteOutcome.Throttled && result.RetryAfter is { } ra && ra > TimeSpan.Zero
                        ? (ra > MaxRetryAfter ? MaxRetryAfter : ra)
                        : next;
                    if (_logged.First("store")) LogStoreFailing(_logger, result.Message ?? result.Outcome.ToString(), Math.Round(delay.TotalSeconds, 1));
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }


    private static string Truncate(string? s) => s is null ? "" : s.Length > 80 ? s[..80] : s;

    private static string Preview(ReadOnlyMemory<byte> lines)
    {
        var span = lines.Span;
        var end = span.IndexOf((byte)'\n');
        if (end < 0) end = span.Length;
        return System.Text.Encoding.UTF8.GetString(span[..Math.Min(end, 200)]);
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Error, Message = "The store rejected {Points} points for good: {Reason}; first: {Line} (counted; logged once per reason)")]
    private static partial void LogRejected(ILogger logger, int points, string reason, string line);

    [LoggerMessage(EventId = 521, Level = LogLevel.Error, Message = "Cannot write to the store: {Reason}; holding the messages (the broker keeps the backlog) and retrying in {Seconds} s")]
    private static partial void LogStoreFailing(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 522, Level = LogLevel.Information, Message = "{Store} accepts writes again")]
    private static partial void LogStoreBack(ILogger logger, string store);
}
