using System.Net;
using Gateway.Core.Files;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.TestKit.Io;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Dashboard;

/// <summary>An admin's account edits (AccountStore): kept owner-only across restarts, winning over the config, guarded.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AccountStoreTests
{
    private static readonly string Hash = PasswordHash.Create("pass-word-1", PasswordHash.MinIterations);
    private static readonly AccountConfig[] Configured = [new("root", Hash, DashboardRole.Admin), new("ops", Hash), new("watch", Hash, DashboardRole.Viewer)];

    [Fact]
    public void Edits_SurviveARestart_WinOverTheConfig_AndTheFileIsOwnerOnly()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "state", AccountStore.FileName);
        var store = AccountStore.Open(Configured, file);
        var newHash = PasswordHash.Create("other-pass-2", PasswordHash.MinIterations);
        Assert.Null(store.Save("newbie", DashboardRole.Viewer, newHash));
        Assert.Null(store.Save("ops", DashboardRole.Admin, null));
        Assert.Null(store.Remove("watch", "root"));
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(file) & (UnixFileMode)0x1FF);

        var again = AccountStore.Open(Configured, file);
        Assert.Equal(["newbie", "ops", "root"], again.List().Select(a => a.Account.User));
        Assert.Equal(DashboardRole.Admin, again.Find("ops")!.Role);
        Assert.Equal(Hash, again.Find("ops")!.PasswordHash);
        Assert.Equal(newHash, again.Find("newbie")!.PasswordHash);
        Assert.Null(again.Find("watch"));
        Assert.False(again.List().Single(a => a.Account.User == "newbie").FromConfig);
        Assert.True(again.List().Single(a => a.Account.User == "root").FromConfig);

        // Added back: a removed account can be created again, with a new password.
        Assert.NotNull(again.Save("watch", DashboardRole.Viewer, null));
        Assert.Null(again.Save("watch", DashboardRole.Viewer, newHash));
        Assert.Equal(newHash, again.Find("watch")!.PasswordHash);
    }

    [Fact]
    public void TheLastAdmin_CannotBeRemovedOrDemoted_AndNobodyRemovesThemself()
    {
        var store = new AccountStore(Configured, file: null);
        Assert.Contains("last admin", store.Save("root", DashboardRole.Operator, null), StringComparison.Ordinal);
        Assert.Contains("your own account", store.Remove("root", "root"), StringComparison.Ordinal);
        Assert.Null(store.Save("ops", DashboardRole.Admin, null));
        Assert.Null(store.Remove("root", "ops"));
        Assert.Contains("last admin", store.Remove("ops", "someone-else"), StringComparison.Ordinal);
        Assert.Contains("no account", store.Remove("nobody", "ops"), StringComparison.Ordinal);
        Assert.Equal(DashboardRole.Admin, store.Find("ops")!.Role);
    }

    [Fact]
    public void AnUnreadableFile_StopsTheStart_InsteadOfBringingBackRemovedAccounts()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, AccountStore.FileName);
        File.WriteAllText(file, "{ not json");
        var ex = Assert.Throws<InvalidDataException>(() => AccountStore.Open(Configured, file));
        Assert.Contains("delete it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_EndWhenTheAccountIsRemovedOrItsPasswordReset_AndTheNewPasswordWorks()
    {
        var accounts = new AccountStore(Configured, file: null);
        using var sessions = new SessionStore(accounts, TimeSpan.FromHours(1), new ManualTimeProvider());
        async Task<string?> Login(string user, string password) => (await sessions.LoginAsync(user, password, IPAddress.Loopback, null)).Token;
        var token = await Login("ops", "pass-word-1");
        var other = await Login("watch", "pass-word-1");
        Assert.Null(accounts.Save("ops", DashboardRole.Operator, PasswordHash.Create("new-pass-word", PasswordHash.MinIterations)));
        sessions.EndSessions("ops");
        Assert.Null(sessions.Validate(token));
        Assert.Equal("watch", sessions.Validate(other));
        Assert.Null(await Login("ops", "pass-word-1"));
        Assert.NotNull(await Login("ops", "new-pass-word"));
        Assert.Null(accounts.Remove("watch", "root"));
        Assert.Null(await Login("watch", "pass-word-1"));
    }
}
