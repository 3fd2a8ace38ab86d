using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// Operator logins and their sessions. A session is a 256-bit random token in an HttpOnly cookie, valid for a fixed
/// lifetime from login (no sliding renewal: a stolen cookie dies on schedule). Guessing is slowed by a progressive
/// delay (<see cref="LoginThrottle"/>) per client address and per account name, never by a lockout: a browser that
/// logged in as the name before (<see cref="DeviceTrust"/>) has its own key, so a guesser elsewhere cannot keep the
/// operator out. Password checks run on their own thread (<see cref="PasswordChecks"/>), never on the request's.
/// </summary>
public sealed class SessionStore : IDisposable
{
    /// <summary>Bound on live sessions: logins are operators, a few dozen at most; this stops a login loop from growing memory.</summary>
    private const int MaxSessions = 10_000;

    private readonly AccountStore _accounts;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly string _dummyHash;

    /// <param name="verify">The password check; <see cref="PasswordHash.Verify"/> unless a test replaces it.</param>
    public SessionStore(IEnumerable<AccountConfig> accounts, TimeSpan lifetime, TimeProvider time, Func<string, string, bool>? verify = null)
        : this(new AccountStore(accounts, file: null), lifetime, time, verify)
    {
    }

    /// <param name="verify">The password check; <see cref="PasswordHash.Verify"/> unless a test replaces it.</param>
    public SessionStore(AccountStore accounts, TimeSpan lifetime, TimeProvider time, Func<string, string, bool>? verify = null)
    {
        _accounts = accounts;
        _lifetime = lifetime;
        _time = time;
        Throttle = new LoginThrottle(time);
        Checks = new PasswordChecks(verify);
        // An unknown user name is checked against a hash of the same cost as the real ones, so response time does not
        // reveal which names exist.
        var iterations = accounts.List().Select(a => PasswordHash.Iterations(a.Account.PasswordHash)).DefaultIfEmpty(PasswordHash.MinIterations).Max();
        _dummyHash = PasswordHash.Create(Guid.NewGuid().ToString(), iterations);
    }

    public int Count => _sessions.Count;

    public LoginThrottle Throttle { get; }

    public PasswordChecks Checks { get; }

    public DeviceTrust Devices { get; } = new();

    /// <summary>
    /// Checks the credentials from <paramref name="address"/>; <paramref name="deviceCookie"/> is the browser's
    /// <see cref="DeviceTrust.Cookie"/> if it sent one. Never throws for bad input; the result says why it refused.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string user, string password, IPAddress? address, string? deviceCookie)
    {
        var hash = _accounts.Find(user)?.PasswordHash;
        var known = hash is not null;
        var trusted = known && Devices.Holds(deviceCookie, user);
        // Unknown names get no key of their own (nothing to guess, and the table would fill with invented names).
        string[] keys = trusted ? ["trusted:" + user] : known ? [AddressKey(address), "user:" + user] : [AddressKey(address)];
        if (!Throttle.TryAdmit(keys, out var wait)) return new LoginResult(null, LoginRefusal.Delayed, wait, trusted);
        bool correct;
        try
        {
            var check = Checks.TryCheck(password, hash ?? _dummyHash, trusted);
            if (check is null)
            {
                Throttle.Release(keys);
                return new LoginResult(null, LoginRefusal.Busy, TimeSpan.Zero, trusted);
            }
            correct = await check.ConfigureAwait(false) && known;
        }
        catch (OperationCanceledException)
        {
            Throttle.Release(keys);
            return new LoginResult(null, LoginRefusal.Busy, TimeSpan.Zero, trusted);
        }
        if (!correct) return new LoginResult(null, LoginRefusal.BadCredentials, Throttle.Failed(keys), trusted);
        // Only the address's (or device's) failures are forgotten; the name's stay, so a guesser's delay does not
        // start over each time the operator logs in.
        Throttle.Release(keys);
        Throttle.Forget(keys[0]);
        var now = _time.GetUtcNow();
        Sweep(now);
        if (_sessions.Count >= MaxSessions) return new LoginResult(null, LoginRefusal.TooManySessions, TimeSpan.Zero, trusted);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _sessions[token] = new Session(user, now + _lifetime);
        return new LoginResult(token, null, TimeSpan.Zero, trusted);
    }

    /// <summary>
    /// The throttle's key for a client address: IPv4 as it is, IPv6 by its /64 (one subscriber's network: a host
    /// holds a whole /64 and could otherwise try from 2^64 addresses).
    /// </summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "address:?";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return "address:" + address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return "address:" + new IPAddress(bytes) + "/64";
    }

    public void Dispose() => Checks.Dispose();

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

public enum LoginRefusal
{
    /// <summary>Wrong name or password.</summary>
    BadCredentials,

    /// <summary>Too many failures from this address or for this name: try again after <see cref="LoginResult.RetryAfter"/>.</summary>
    Delayed,

    /// <summary>Too many logins waiting for their password check: try again in a few seconds.</summary>
    Busy,

    TooManySessions,
}

/// <summary>A login's outcome: a session token, or why not and how long to wait before the next try.</summary>
public sealed record LoginResult(string? Token, LoginRefusal? Refusal, TimeSpan RetryAfter, bool TrustedDevice);
