using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging;
using Gateway.Core.Timing;

namespace Gateway.Agent;

/// <summary>
/// Keeps one source running: a source that throws (a device unplugged, a bus error) is restarted after a backoff of
/// 1 s doubling to 60 s, so one broken sensor neither stops the others nor floods the log.
/// </summary>
public static partial class SourceSupervisor
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>Keeps <paramref name="source"/> running until cancelled; never throws.</summary>
    public static Task RunAsync(ReadingSource source, SourceContext context, TimeProvider time, ILogger logger, CancellationToken cancellationToken) =>
        RunAsync(source.Name, token => source.RunAsync(context, token), time, logger, cancellationToken);

    /// <summary>Keeps <paramref name="run"/> (a source, or a part of one such as a PPS line) running the same way; never throws.</summary>
    public static async Task RunAsync(string name, Func<CancellationToken, Task> run, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(MinBackoff, MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            TimeSpan delay;
            try
            {
                await run(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A source that ran well for a while before failing starts again from the shortest backoff.
                if (time.GetElapsedTime(started) > MaxBackoff) backoff.Reset();
                delay = backoff.Next();
                LogSourceFailed(logger, name, ex.Message, delay.TotalSeconds);
            }
            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Source {Source} failed: {Reason}; restarting in {Seconds} s")]
    private static partial void LogSourceFailed(ILogger logger, string source, string reason, double seconds);
}
