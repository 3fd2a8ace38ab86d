using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// Operator logins and their sessions. A session is a 256-bit random token in an HttpOnly cookie, valid for a fixed
/// lifetime from login (no sliding renewal: a stolen cookie dies on schedule). Failed logins are throttled per user
/// name so that guessing through the login form is slow.
/// </summary>
public sealed class SessionStore
{
    /// <summary>Failures per user name before the name is locked for <see cref="LockTime"/>.</summary>
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(1);

    /// <summary>Bound on live sessions: logins are operators, a few dozen at most; this stops a login loop from growing memory.</summary>
    private const int MaxSessions = 10_000;

    private readonly AccountStore _accounts;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);
    private readonly string _dummyHash;

    public SessionStore(IEnumerable<AccountConfig> accounts, TimeSpan lifetime, TimeProvider time)
        : this(new AccountStore(accounts, file: null), lifetime, time)
    {
    }

    public SessionStore(AccountStore accounts, TimeSpan lifetime, TimeProvider time)
    {
        _accounts = accounts;
        _lifetime = lifetime;
        _time = time;
        // An unknown user name is checked against a hash of the same cost as the real ones, so response time does not
        // reveal which names exist.
        var iterations = accounts.List().Select(a => PasswordHash.Iterations(a.Account.PasswordHash)).DefaultIfEmpty(PasswordHash.MinIterations).Max();
        _dummyHash = PasswordHash.Create(Guid.NewGuid().ToString(), iterations);
    }

    public int Count => _sessions.Count;

    /// <summary>Checks the credentials; on success returns a new session token, else null with the reason for the log.</summary>
    public string? Login(string user, string password, out string? refusal)
    {
        refusal = null;
        var now = _time.GetUtcNow();
        // The failure table is keyed by a name from outside: bounded like the sessions.
        if (_failures.Count >= MaxSessions) _failures.Clear();
        if (_failures.TryGetValue(user, out var f) && f.Count >= MaxFailures && now - f.Since < LockTime)
        {
            refusal = "locked";
            return null;
        }
        var account = _accounts.Find(user);
        if (!PasswordHash.Verify(password, account?.PasswordHash ?? _dummyHash) || account is null)
        {
            _failures.AddOrUpdate(user, _ => (1, now), (_, old) => now - old.Since >= LockTime ? (1, now) : (old.Count + 1, old.Since));
            refusal = "bad credentials";
            return null;
        }
        _failures.TryRemove(user, out _);
        Sweep(now);
        if (_sessions.Count >= MaxSessions)
        {
            refusal = "too many sessions";
            return null;
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _sessions[token] = new Session(user, now + _lifetime);
        return token;
    }

    /// <summary>The user of a live session, or null when the token is unknown or expired.</summary>
    public string? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token) || !_sessions.TryGetValue(token, out var s)) return null;
        if (_time.GetUtcNow() < s.Expires) return s.User;
        _sessions.TryRemove(token, out _);
        return null;
    }

    public void Logout(string? token)
    {
        if (token is not null) _sessions.TryRemove(token, out _);
    }

    /// <summary>Ends every session of a user (the account was removed or its password reset).</summary>
    public void EndSessions(string user)
    {
        foreach (var (token, s) in _sessions)
            if (s.User == user) _sessions.TryRemove(token, out _);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (token, s) in _sessions)
            if (now >= s.Expires) _sessions.TryRemove(token, out _);
    }

    private sealed record Session(string User, DateTimeOffset Expires);
}
