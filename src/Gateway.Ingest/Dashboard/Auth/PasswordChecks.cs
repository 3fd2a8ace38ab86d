using System.Collections.Concurrent;
using Gateway.Core.Counters;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// Runs password checks on one dedicated thread, off the thread pool that serves ingestion, the dashboard and the
/// live streams. A check is deliberately slow (PBKDF2, about 0.25 s of one core at 600,000 iterations); run on the
/// pool, 16 concurrent bogus logins took both cores of a small server and pushed end-to-end lag from 80 ms past 1 s.
/// Here they cost at most one core, and they wait in a short queue; when the queue is full a login is refused at once
/// ("busy", nothing hashed). Browsers that logged in before (a trusted device) have their own queue, served first,
/// so a flood from elsewhere does not keep an operator out.
/// </summary>
public sealed class PasswordChecks : IDisposable
{
    /// <summary>Checks waiting per queue: at 4 checks a second, a login waits at most about 2 s in the queue.</summary>
    public const int QueueLength = 8;

    private readonly Func<string, string, bool> _verify;
    private readonly BlockingCollection<Check> _trusted = new(QueueLength);
    private readonly BlockingCollection<Check> _others = new(QueueLength);
    private readonly BlockingCollection<Check>[] _byPriority;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly AtomicCounter _busy = new();

    /// <param name="verify">The check (password, encoded hash); <see cref="PasswordHash.Verify"/> in production.</param>
    public PasswordChecks(Func<string, string, bool>? verify = null)
    {
        _verify = verify ?? PasswordHash.Verify;
        _byPriority = [_trusted, _others];
        _thread = new Thread(Run) { IsBackground = true, Name = "dashboard password checks" };
        _thread.Start();
    }

    /// <summary>Logins refused because the queue was full.</summary>
    public long Busy => _busy.Value;

    /// <summary>
    /// The check's result, or null at once when its queue is full (the caller says "busy, try again").
    /// The task completes on the checking thread's continuation; it never runs the hash on the caller's thread.
    /// </summary>
    public Task<bool>? TryCheck(string password, string hash, bool trusted)
    {
        var check = new Check(password, hash, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            if (!_stop.IsCancellationRequested && (trusted ? _trusted : _others).TryAdd(check)) return check.Result.Task;
        }
        catch (ObjectDisposedException)
        {
            // The service is stopping: refused like a full queue.
        }
        _busy.Increment();
        return null;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _thread.Join();
        // Logins still queued are answered (refused) rather than left waiting for ever.
        foreach (var queue in _byPriority)
            while (queue.TryTake(out var check)) check.Result.TrySetCanceled();
        _trusted.Dispose();
        _others.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            Check? check;
            try
            {
                // TakeFromAny takes from the first collection in the array that has an item: trusted devices first.
                BlockingCollection<Check>.TakeFromAny(_byPriority, out check, _stop.Token);
                if (check is null) continue;
            }
            catch (OperationCanceledException)
            {
                return; // Dispose
            }
            try
            {
                check.Result.SetResult(_verify(check.Password, check.Hash));
            }
#pragma warning disable CA1031 // A check that throws must fail that login, not the thread that serves every other.
            catch (Exception e)
#pragma warning restore CA1031
            {
                check.Result.SetException(e);
            }
        }
    }

    private sealed record Check(string Password, string Hash, TaskCompletionSource<bool> Result);
}
