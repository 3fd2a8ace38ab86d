using System.Net;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Dashboard;

/// <summary>
/// Issue 12 item 7: logins are limited per address and per account name by a progressive delay, never a lockout; a
/// guesser elsewhere never keeps the operator's own browser out; password checks never run on the caller's thread,
/// run one at a time, and a flood is refused at once instead of queueing CPU work.
/// </summary>
public sealed class LoginThrottleTests
{
    private const string Password = "pass-word";
    private static readonly IPAddress Office = IPAddress.Parse("10.0.0.7");
    private static readonly IPAddress Guesser = IPAddress.Parse("203.0.113.9");

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(6, 8)]
    [InlineData(9, 60)]
    [InlineData(1000, 60)]
    public void DelayAfter_IsFreeForTheFirstFailures_ThenDoublesUpToTheMaximum(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), LoginThrottle.DelayAfter(failures));

    [Fact]
    public async Task FailuresFromOneAddress_DelayItProgressively_ButTheRightPasswordWorksAfterTheWait()
    {
        var time = new ManualTimeProvider();
        using var store = Store(time);
        for (var i = 1; i <= 4; i++)
        {
            var failed = await store.LoginAsync("ops", "wrong", Office, null);
            Assert.Equal(LoginRefusal.BadCredentials, failed.Refusal);
            Assert.Equal(LoginThrottle.DelayAfter(i), failed.RetryAfter);
            if (i < 4) time.Advance(failed.RetryAfter);
        }
        // In the delay: refused unchecked, even with the right password, and told how long to wait.
        var early = await store.LoginAsync("ops", Password, Office, null);
        Assert.Equal(LoginRefusal.Delayed, early.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(2), early.RetryAfter);
        Assert.Equal(4, store.Throttle.Failures);
        Assert.Equal(1, store.Throttle.Delayed);
        time.Advance(early.RetryAfter);
        Assert.NotNull((await store.LoginAsync("ops", Password, Office, null)).Token);
        // Another address, another name: never touched by these failures.
        var other = await store.LoginAsync("nobody", "x", Guesser, null);
        Assert.Equal(LoginRefusal.BadCredentials, other.Refusal);
        Assert.Equal(TimeSpan.Zero, other.RetryAfter);
    }

    [Fact]
    public async Task AGuesserElsewhere_NeverDelaysTheOperatorsOwnBrowser_AndANewBrowserWaitsAtMostTheMaximum()
    {
        var time = new ManualTimeProvider();
        using var store = Store(time);
        var first = await store.LoginAsync("ops", Password, Office, null);
        Assert.NotNull(first.Token);
        var device = store.Devices.Issue("ops");

        // Five bad passwords a minute, for an hour, from elsewhere (the issue's attack), each as soon as it is allowed.
        for (var minute = 0; minute < 60; minute++)
        {
            for (var i = 0; i < 5; i++)
            {
                var guess = await store.LoginAsync("ops", "guess", Guesser, null);
                Assert.NotNull(guess.Refusal);
            }
            time.Advance(TimeSpan.FromMinutes(1));
        }
        var guessed = await store.LoginAsync("ops", "guess", Guesser, null);
        Assert.Equal(LoginRefusal.BadCredentials, guessed.Refusal);
        Assert.Equal(LoginThrottle.MaxDelay, guessed.RetryAfter);
        Assert.True(store.Throttle.Failures < 70, $"{store.Throttle.Failures} guesses were checked in an hour");

        // The operator's browser (it holds the device cookie): in at once, although the name is in its delay.
        var own = await store.LoginAsync("ops", Password, Office, device);
        Assert.NotNull(own.Token);
        Assert.True(own.TrustedDevice);
        // A new browser (no cookie, another address): delayed by the name's key, at most the maximum, then in.
        var fresh = await store.LoginAsync("ops", Password, IPAddress.Parse("10.0.0.8"), null);
        Assert.Equal(LoginRefusal.Delayed, fresh.Refusal);
        Assert.InRange(fresh.RetryAfter, TimeSpan.FromTicks(1), LoginThrottle.MaxDelay);
        time.Advance(fresh.RetryAfter);
        Assert.NotNull((await store.LoginAsync("ops", Password, IPAddress.Parse("10.0.0.8"), null)).Token);
        // A cookie is good for its own name only, and a forged one is a new browser.
        Assert.False(store.Devices.Holds(device, "admin"));
        Assert.False(store.Devices.Holds("forged", "ops"));
    }

    [Fact]
    public void ConcurrentAttempts_PastTheFreeFailures_AreCheckedOneAtATime()
    {
        var time = new ManualTimeProvider();
        var throttle = new LoginThrottle(time);
        string[] keys = ["address:203.0.113.9"];
        for (var i = 0; i < LoginThrottle.FreeFailures; i++) Assert.True(throttle.TryAdmit(keys, out _));
        // The free budget is taken by attempts still being checked: the next one waits for their results.
        Assert.False(throttle.TryAdmit(keys, out var wait));
        Assert.True(wait > TimeSpan.Zero);
        for (var i = 0; i < LoginThrottle.FreeFailures; i++) throttle.Failed(keys);
        time.Advance(LoginThrottle.DelayAfter(LoginThrottle.FreeFailures));
        Assert.True(throttle.TryAdmit(keys, out _));
        Assert.False(throttle.TryAdmit(keys, out _));
        Assert.Equal(2, throttle.Delayed);
    }

    [Fact]
    public void FailuresAreForgotten_AfterAQuarterOfAnHourWithoutOne()
    {
        var time = new ManualTimeProvider();
        var throttle = new LoginThrottle(time);
        string[] keys = ["user:ops"];
        for (var i = 0; i < 8; i++)
        {
            Assert.True(throttle.TryAdmit(keys, out _));
            time.Advance(throttle.Failed(keys));
        }
        time.Advance(LoginThrottle.ForgetAfter);
        Assert.True(throttle.TryAdmit(keys, out _));
        Assert.Equal(TimeSpan.Zero, throttle.Failed(keys));
    }

    [Fact]
    public void ATableFullOfAddresses_SharesOneOverflowKey_InsteadOfGrowing()
    {
        var time = new ManualTimeProvider();
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxKeys + 50; i++)
        {
            string[] keys = [$"address:{i}"];
            if (!throttle.TryAdmit(keys, out _)) continue;
            // Three failures each, so no key is forgettable when the table fills.
            throttle.Failed(keys);
            Assert.True(throttle.TryAdmit(keys, out _));
            throttle.Failed(keys);
            Assert.True(throttle.TryAdmit(keys, out _));
            throttle.Failed(keys);
        }
        Assert.InRange(throttle.Tracked, LoginThrottle.MaxKeys - 1, LoginThrottle.MaxKeys + 1);
        Assert.False(throttle.TryAdmit(["address:new"], out _));
    }

    [Theory]
    [InlineData("192.0.2.1", "address:192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "address:192.0.2.1")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "address:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "address:2001:db8:1:2::/64")]
    public void AddressKey_IsTheIPv4Address_OrTheIPv6Slash64(string address, string key) =>
        Assert.Equal(key, SessionStore.AddressKey(IPAddress.Parse(address)));

    [Fact]
    public async Task AFloodOfLogins_IsCheckedOneAtATime_OffTheCallersThread_AndTheRestRefusedAtOnce()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        var running = 0;
        var maxRunning = 0;
        var callerThread = Environment.CurrentManagedThreadId;
        var checkThreads = new HashSet<int>();
        var order = new List<string>();
        bool Verify(string password, string hash)
        {
            var now = Interlocked.Increment(ref running);
            lock (order)
            {
                maxRunning = Math.Max(maxRunning, now);
                checkThreads.Add(Environment.CurrentManagedThreadId);
                order.Add(password);
            }
            entered.Release();
            // On the caller's thread (hashing on the request path) it must not block the test itself.
            if (Environment.CurrentManagedThreadId != callerThread) release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
            return false;
        }
        using var store = new SessionStore([new AccountConfig("ops", PasswordHash.Create(Password, PasswordHash.MinIterations))],
            TimeSpan.FromHours(1), new ManualTimeProvider(), Verify);

        // A botnet: each login from its own address, so no per-address delay applies; unknown names, no name delay.
        var first = store.LoginAsync("x", "first", IPAddress.Parse("198.51.100.1"), null);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)), "the first check never started");
        var flood = Enumerable.Range(2, PasswordChecks.QueueLength + 10)
            .Select(i => store.LoginAsync("x", "flood", IPAddress.Parse($"198.51.100.{i}"), null)).ToList();
        // The operator's browser, while the flood waits: its own queue, served first.
        var own = store.LoginAsync("ops", "operator", Office, store.Devices.Issue("ops"));
        var refusedAtOnce = flood.Where(t => t.IsCompleted).ToList();
        Assert.Equal(10, refusedAtOnce.Count);
        Assert.All(refusedAtOnce, t => Assert.Equal(LoginRefusal.Busy, t.Result.Refusal));
        Assert.Equal(10, store.Checks.Busy);

        release.Set();
        await Task.WhenAll(flood.Append(first).Append(own)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, maxRunning);
        Assert.DoesNotContain(callerThread, checkThreads);
        Assert.Single(checkThreads);
        Assert.Equal(["first", "operator"], order.Take(2));
        Assert.Equal(2 + PasswordChecks.QueueLength, order.Count);
    }

    private static SessionStore Store(TimeProvider time) =>
        new([new AccountConfig("ops", PasswordHash.Create(Password, PasswordHash.MinIterations))], TimeSpan.FromHours(1), time);
}
