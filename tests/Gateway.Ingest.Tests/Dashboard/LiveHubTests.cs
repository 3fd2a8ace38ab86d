using Gateway.Ingest.Dashboard;

namespace Gateway.Ingest.Tests.Dashboard;

public sealed class LiveHubTests
{
    [Fact]
    public void OneSession_CannotTakeEveryStream_OthersStillGetTheirs()
    {
        var hub = new LiveHub();
        var greedy = Enumerable.Range(0, LiveHub.MaxPerSession).Select(i => hub.Subscribe("session-a", out _)).ToList();
        Assert.All(greedy, Assert.NotNull);
        Assert.Null(hub.Subscribe("session-a", out var refusal));
        Assert.Contains("close other dashboard tabs", refusal, StringComparison.Ordinal);
        Assert.Equal(1, hub.Refused);

        using var other = hub.Subscribe("session-b", out _);
        Assert.NotNull(other);
        // A closed stream gives its place back to its session.
        greedy[0]!.Dispose();
        using var again = hub.Subscribe("session-a", out _);
        Assert.NotNull(again);
        foreach (var s in greedy.Skip(1)) s!.Dispose();
    }

    [Fact]
    public void TheServerWideBound_StillHolds_AcrossSessions()
    {
        var hub = new LiveHub();
        var all = Enumerable.Range(0, LiveHub.MaxSubscribers).Select(i => hub.Subscribe($"s{i}", out _)).ToList();
        Assert.All(all, Assert.NotNull);
        Assert.Null(hub.Subscribe("late", out var refusal));
        Assert.Contains($"{LiveHub.MaxSubscribers} live streams", refusal, StringComparison.Ordinal);
        foreach (var s in all) s!.Dispose();
        Assert.Equal(0, hub.Count);
    }
}
