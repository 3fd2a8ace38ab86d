namespace Gateway.Ingest.Store;

/// <summary>
/// How a store answered a write, in the classes that decide what the ingest does next (DESIGN §5, after Telegraf's
/// outputs): acknowledge, drop and count, retry later, wait as told, or split.
/// </summary>
public enum StoreWriteOutcome
{
    /// <summary>Written: acknowledge the message.</summary>
    Written,

    /// <summary>The store rejected the data itself (bad lines, type conflict): retrying cannot help; count and acknowledge.</summary>
    Permanent,

    /// <summary>The store is unreachable, failing, or missing the database: keep the message unacknowledged and retry.</summary>
    Retryable,

    /// <summary>The store asked us to slow down: retry after <see cref="StoreWriteResult.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>The request was too large: split the batch and retry the halves.</summary>
    TooLarge,

    /// <summary>
    /// The store refused the credentials (401) or the user's rights (403): retried like <see cref="Retryable"/> (an
    /// operator fixes the password file or the grant; the broker holds the data meanwhile), but counted on its own.
    /// </summary>
    Unauthorized,
}

public readonly record struct StoreWriteResult(StoreWriteOutcome Outcome, string? Message = null, TimeSpan? RetryAfter = null)
{
    public static StoreWriteResult Written { get; } = new(StoreWriteOutcome.Written);
}
