using Gateway.Ingest.Configuration;
using Gateway.Ingest.History;
using Gateway.Ingest.Store;

namespace Gateway.Ingest;

/// <summary>
/// Tries the store's credentials once at start: an empty write with the write user (or token) and, where the monitor
/// reads history, one cheap query with the read user. A refusal (401/403) is a configuration mistake that waiting cannot
/// fix, so the service stops with one line naming the credentials file; a store that is down or slow is not a reason to
/// stop (the ingest holds the data and retries), so only a refusal counts here.
/// </summary>
internal static class CredentialCheck
{
    /// <summary>Bound on each probe: a black-holed store must not hold the start for the 30 s write timeout.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The refusal message, or null when nothing was refused.</summary>
    public static async Task<string?> RefusalAsync(CentralConfig config, CancellationToken cancellationToken)
    {
        using (var writer = StoreWriterFactory.Create(config.Store, TimeProvider.System))
        using (var bounded = Bounded(cancellationToken))
        {
            try
            {
                var result = await writer.ProbeAsync(bounded.Token).ConfigureAwait(false);
                if (result.Outcome == StoreWriteOutcome.Unauthorized) return result.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
        if (!config.MonitorEnabled || config.History is not { } history) return null;
        using var reader = new HistoryClient(history);
        using var boundedRead = Bounded(cancellationToken);
        try
        {
            await reader.ProbeAsync(boundedRead.Token).ConfigureAwait(false);
        }
        catch (HistoryException ex) when (ex.CredentialsRefused)
        {
            return ex.Message;
        }
        catch (Exception ex) when (ex is HistoryException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable, slow, or no database yet: the history view says so when it is used.
        }
        return null;
    }

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(ProbeTimeout);
        return cts;
    }
}
