using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Files;
using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// The dashboard's accounts: the central config's <c>dashboard.accounts</c>, with what an admin changed on the page
/// (added, role changed, password reset, removed) kept in the state directory (<c>accounts.json</c>, owner-only: it
/// holds password hashes), where it wins over the config for that user name, like the asset registry. Two guards keep
/// the dashboard manageable: an admin cannot remove their own account, and the last admin cannot be removed or demoted.
/// </summary>
public sealed class AccountStore
{
    /// <summary>A bound on accounts: operators are a few dozen; this stops a script from growing the file forever.</summary>
    public const int MaxAccounts = 1_000;

    /// <summary>The file in the state directory.</summary>
    public const string FileName = "accounts.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccountConfig> _configured;
    private readonly Dictionary<string, AccountConfig> _edited = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly string? _file;

    /// <param name="configured">The config's accounts.</param>
    /// <param name="file">Where the page's edits are kept (null: kept in memory only); see <see cref="Open"/>.</param>
    public AccountStore(IEnumerable<AccountConfig> configured, string? file)
    {
        _configured = configured.ToDictionary(a => a.User, StringComparer.Ordinal);
        _file = file;
    }

    /// <summary>The account of a user name, or null when there is none (never configured, or removed).</summary>
    public AccountConfig? Find(string user)
    {
        lock (_lock) return FindLocked(user);
    }

    /// <summary>Every account, by user name, and whether it comes from the config file as written.</summary>
    public IReadOnlyList<(AccountConfig Account, bool FromConfig)> List()
    {
        lock (_lock)
            return _configured.Keys.Concat(_edited.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(u => (Account: FindLocked(u), FromConfig: !_edited.ContainsKey(u))).Where(x => x.Account is not null)
                .Select(x => (x.Account!, x.FromConfig)).ToList();
    }

    /// <summary>
    /// Adds an account or changes one (its role, and its password hash when one is given); null when done, else why not.
    /// A new account needs a password hash.
    /// </summary>
    public string? Save(string user, DashboardRole role, string? passwordHash)
    {
        lock (_lock)
        {
            var old = FindLocked(user);
            if (old is null && passwordHash is null) return $"'{user}' is a new account: give it a password";
            if (old is null && Count() >= MaxAccounts) return $"there are {MaxAccounts} accounts, the limit";
            if (old is { Role: DashboardRole.Admin } && role != DashboardRole.Admin && Admins() == 1)
                return $"'{user}' is the last admin: make another account admin first";
            _edited[user] = new AccountConfig(user, passwordHash ?? old!.PasswordHash, role);
            _removed.Remove(user);
            SaveLocked();
            return null;
        }
    }

    /// <summary>Removes an account (<paramref name="by"/> is the admin asking); null when done, else why not.</summary>
    public string? Remove(string user, string by)
    {
        lock (_lock)
        {
            if (FindLocked(user) is not { } old) return $"there is no account '{user}'";
            if (user == by) return "you cannot remove your own account: another admin can";
            if (old.Role == DashboardRole.Admin && Admins() == 1) return $"'{user}' is the last admin";
            _edited.Remove(user);
            if (_configured.ContainsKey(user)) _removed.Add(user);
            SaveLocked();
            return null;
        }
    }

    /// <summary>
    /// The config's accounts with the page's edits an earlier run kept in <paramref name="file"/> (null: in memory only).
    /// An unreadable file stops the start (InvalidDataException): falling back to the config would bring back accounts an
    /// admin removed and passwords an admin reset.
    /// </summary>
    public static AccountStore Open(IEnumerable<AccountConfig> configured, string? file)
    {
        var store = new AccountStore(configured, file);
        if (file is null) return store;
        if (!JsonStateFile.TryRead<Persisted>(file, Json, out var saved, out var error))
        {
            if (error is null) return store;
            throw new InvalidDataException($"{file} (the accounts an admin edited on the dashboard) cannot be read: {error.Message}; restore it from a backup, or delete it to go back to the config's dashboard.accounts", error);
        }
        foreach (var a in saved?.Accounts ?? [])
            if (a.User is { } u && a.PasswordHash is { } h && PasswordHash.IsWellFormed(h) && store._edited.Count < MaxAccounts)
                store._edited[u] = new AccountConfig(u, h, a.Role);
        foreach (var u in saved?.Removed ?? []) if (store._configured.ContainsKey(u)) store._removed.Add(u);
        return store;
    }

    private AccountConfig? FindLocked(string user) =>
        _edited.GetValueOrDefault(user) ?? (_removed.Contains(user) ? null : _configured.GetValueOrDefault(user));

    private int Count() => _configured.Keys.Concat(_edited.Keys).Distinct(StringComparer.Ordinal).Count(u => FindLocked(u) is not null);

    private int Admins() => _configured.Keys.Concat(_edited.Keys).Distinct(StringComparer.Ordinal).Count(u => FindLocked(u)?.Role == DashboardRole.Admin);

    private void SaveLocked()
    {
        if (_file is null) return;
        var snapshot = new Persisted([.. _edited.Values.Select(a => new PersistedAccount(a.User, a.PasswordHash, a.Role))], [.. _removed]);
        JsonStateFile.Write(_file, snapshot, Json, AtomicFile.OwnerOnly);
    }

    private sealed record Persisted(List<PersistedAccount>? Accounts, List<string>? Removed);

    private sealed record PersistedAccount(string? User, string? PasswordHash, DashboardRole Role);
}
