using Gateway.Core.Counters;
namespace Gateway.Ingest.Dashboard;

/// <summary>
/// Tells the dashboards' server-sent event streams that something changed: the fleet (a gateway or an asset), the alert
/// list, or everything ("reset": the page reloads). A subscriber holds only these three flags, not the changed keys:
/// the stream asks <see cref="Monitoring.FleetState.ChangedSince"/> what changed since its last push, so a publish is a
/// flag set whatever the fleet's size, memory per subscriber is constant, and a slow browser never falls into a reload.
/// </summary>
public sealed class LiveHub
{
    /// <summary>Concurrent streams; each holds a connection, so a bound protects the server.</summary>
    public const int MaxSubscribers = 200;

    /// <summary>
    /// Concurrent streams of one login session: a page holds one, an operator may have a few tabs open; without this
    /// bound one session could take all <see cref="MaxSubscribers"/> and shut every other operator out.
    /// </summary>
    public const int MaxPerSession = 4;

    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly AtomicCounter _refused = new();

    public int Count
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    /// <summary>"alerts", "reset", or a fleet key ("gateway/ID", "asset/TAG": what changed is read from the fleet).</summary>
    public void Publish(string key)
    {
        var change = key switch { "alerts" => LiveChange.Alerts, "reset" => LiveChange.Reset, _ => LiveChange.Fleet };
        lock (_lock)
            foreach (var s in _subscribers) s.Add(change);
    }

    /// <summary>Streams refused because their session or the server had too many.</summary>
    public long Refused => _refused.Value;

    /// <summary>
    /// A new subscriber for the login session <paramref name="session"/> (any stable id of it), or null with the
    /// refusal when that session already has <see cref="MaxPerSession"/> streams or the server <see cref="MaxSubscribers"/>.
    /// </summary>
    public Subscriber? Subscribe(string session, out string? refusal)
    {
        lock (_lock)
        {
            refusal = _subscribers.Count >= MaxSubscribers ? $"the server has {MaxSubscribers} live streams open"
                : _subscribers.Count(s => s.Session == session) >= MaxPerSession ? $"this login already has {MaxPerSession} live streams open; close other dashboard tabs"
                : null;
            if (refusal is not null)
            {
                _refused.Increment();
                return null;
            }
            var subscriber = new Subscriber(this, session);
            _subscribers.Add(subscriber);
            return subscriber;
        }
    }

    private void Remove(Subscriber s)
    {
        lock (_lock) _subscribers.Remove(s);
    }

    public sealed class Subscriber : IDisposable
    {
        private readonly LiveHub _hub;
        private readonly SemaphoreSlim _signal = new(0, 1);
        private int _pending;

        internal Subscriber(LiveHub hub, string session)
        {
            _hub = hub;
            Session = session;
        }

        internal string Session { get; }

        internal void Add(LiveChange change)
        {
            // Only the first change since the last take wakes the stream; the rest just set their flag.
            if (Interlocked.Or(ref _pending, (int)change) != 0) return;
            try { _signal.Release(); }
            catch (SemaphoreFullException) { }
        }

        /// <summary>Waits for changes (up to <paramref name="timeout"/>) and takes them; None after a quiet timeout.</summary>
        public async Task<LiveChange> TakeAsync(TimeSpan timeout, CancellationToken ct)
        {
            await _signal.WaitAsync(timeout, ct).ConfigureAwait(false);
            return (LiveChange)Interlocked.Exchange(ref _pending, 0);
        }

        public void Dispose()
        {
            _hub.Remove(this);
            _signal.Dispose();
        }
    }
}

/// <summary>What a live stream has to send.</summary>
[Flags]
public enum LiveChange
{
    None = 0,
    Fleet = 1,
    Alerts = 2,
    Reset = 4,
}
