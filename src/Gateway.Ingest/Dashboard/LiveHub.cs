namespace Gateway.Ingest.Dashboard;

/// <summary>
/// Fans fleet and alert changes out to the dashboards' server-sent event streams. Each subscriber gets a set of
/// changed keys ("gateway/ID", "asset/TAG", "alerts"), coalesced: a gateway that sends ten batches a second is one
/// update per push, and a slow browser never makes the monitor wait. A set that grows past a bound becomes "reset"
/// (the page reloads everything), so memory per subscriber is bounded too.
/// </summary>
public sealed class LiveHub
{
    /// <summary>Distinct keys held for one subscriber before it is told to reload everything instead.</summary>
    public const int MaxPendingKeys = 2_000;

    /// <summary>Concurrent streams; each holds a connection, so a bound protects the server.</summary>
    public const int MaxSubscribers = 200;

    /// <summary>
    /// Concurrent streams of one login session: a page holds one, an operator may have a few tabs open; without this
    /// bound one session could take all <see cref="MaxSubscribers"/> and shut every other operator out.
    /// </summary>
    public const int MaxPerSession = 4;

    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];
    private long _refused;

    public int Count
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public void Publish(string key)
    {
        lock (_lock)
            foreach (var s in _subscribers) s.Add(key);
    }

    /// <summary>Streams refused because their session or the server had too many.</summary>
    public long Refused => Interlocked.Read(ref _refused);

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
                _refused++;
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
        private readonly Lock _lock = new();
        private readonly SemaphoreSlim _signal = new(0, 1);
        private HashSet<string> _keys = new(StringComparer.Ordinal);
        private bool _reset;

        internal Subscriber(LiveHub hub, string session)
        {
            _hub = hub;
            Session = session;
        }

        internal string Session { get; }

        internal void Add(string key)
        {
            lock (_lock)
            {
                if (_reset) return;
                if (_keys.Count >= MaxPendingKeys)
                {
                    _reset = true;
                    _keys.Clear();
                }
                else
                {
                    _keys.Add(key);
                }
            }
            try { if (_signal.CurrentCount == 0) _signal.Release(); }
            catch (SemaphoreFullException) { }
        }

        /// <summary>Waits for changes (up to <paramref name="timeout"/>) and takes them: (reset, keys).</summary>
        public async Task<(bool Reset, IReadOnlyCollection<string> Keys)> TakeAsync(TimeSpan timeout, CancellationToken ct)
        {
            await _signal.WaitAsync(timeout, ct).ConfigureAwait(false);
            lock (_lock)
            {
                var taken = (_reset, (IReadOnlyCollection<string>)_keys);
                _keys = new HashSet<string>(StringComparer.Ordinal);
                _reset = false;
                return taken;
            }
        }

        public void Dispose()
        {
            _hub.Remove(this);
            _signal.Dispose();
        }
    }
}
