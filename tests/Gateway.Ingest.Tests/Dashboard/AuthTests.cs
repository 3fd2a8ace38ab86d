using System.Net;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Dashboard;

public sealed class AuthTests
{
    private const int FastIterations = PasswordHash.MinIterations;

    [Fact]
    public void Hash_VerifiesOnlyTheRightPassword_AndIsSalted()
    {
        var a = PasswordHash.Create("correct horse", FastIterations);
        var b = PasswordHash.Create("correct horse", FastIterations);
        Assert.NotEqual(a, b);
        Assert.True(PasswordHash.Verify("correct horse", a));
        Assert.False(PasswordHash.Verify("correct hors", a));
        Assert.False(PasswordHash.Verify("", a));
        Assert.StartsWith("pbkdf2-sha256$10000$", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hunter2")]
    [InlineData("pbkdf2-sha256$100$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$600000$not base64$AAAA")]
    [InlineData("md5$1$2$3")]
    public void MalformedOrWeakHashes_AreRefused(string hash)
    {
        Assert.False(PasswordHash.IsWellFormed(hash));
        Assert.False(PasswordHash.Verify("anything", hash));
    }

    [Fact]
    public async Task Sessions_Expire_AndLogoutEndsThem()
    {
        var time = new ManualTimeProvider();
        using var store = new SessionStore([new AccountConfig("ops", PasswordHash.Create("pass-word", FastIterations))], TimeSpan.FromMinutes(30), time);
        var token = (await store.LoginAsync("ops", "pass-word", IPAddress.Loopback, null)).Token;
        Assert.NotNull(token);
        Assert.Equal("ops", store.Validate(token));
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("ops", store.Validate(token));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(store.Validate(token));
        var second = (await store.LoginAsync("ops", "pass-word", IPAddress.Loopback, null)).Token;
        store.Logout(second);
        Assert.Null(store.Validate(second));
        Assert.Null(store.Validate("forged"));
        Assert.Null(store.Validate(null));
    }

    [Fact]
    public void HashPasswordCommand_ReadsStdin_PrintsAVerifiableHash()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, HashPasswordCommand.Run(["--iterations", "10000"], new StringReader("s3cret-pass\n"), output, error));
        Assert.True(PasswordHash.Verify("s3cret-pass", output.ToString().Trim()));
        Assert.Contains("\"role\": \"viewer|operator|admin\"", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, HashPasswordCommand.Run([], new StringReader("short\n"), output, error));
        Assert.Contains("at least 8 characters", error.ToString(), StringComparison.Ordinal);
    }
}
