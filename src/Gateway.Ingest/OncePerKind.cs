using System.Collections.Concurrent;

namespace Gateway.Ingest;

/// <summary>
/// Remembers which kinds of problem were already logged, so a gateway that sends garbage every second produces one log
/// line per kind of garbage (and a counter), not a flood that hides everything else.
/// </summary>
internal sealed class OncePerKind
{
    /// <summary>Bound on remembered kinds: kinds come partly from outside (a gateway id), so the set must not grow forever.</summary>
    private const int MaxKinds = 1024;

    private readonly ConcurrentDictionary<string, byte> _seen = new();

    /// <summary>True the first time <paramref name="kind"/> is seen.</summary>
    public bool First(string kind)
    {
        if (_seen.Count >= MaxKinds) return false;
        return _seen.TryAdd(kind, 0);
    }

    /// <summary>Forgets a kind (the problem went away), so that its return is logged again.</summary>
    public void Clear(string kind) => _seen.TryRemove(kind, out _);
}
