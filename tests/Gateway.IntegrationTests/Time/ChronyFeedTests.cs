using System.Diagnostics;
using Gateway.Agent.Chrony;
using Gateway.Devices.NmeaGps;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Servers;
using Gateway.Telemetry.Time;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Time;

/// <summary>
/// The agent's chrony feed against a real chronyd (Debian's chrony) that runs with <c>-x</c>, so this machine's clock
/// is never touched, with the refclock lines of firmware-config/chrony/gateway-gps.conf (paths moved into the test's
/// directory, polled every second). chronyd must accept the samples and select them, as <c>chronyc sources</c> shows.
/// </summary>
public sealed class ChronyFeedTests(ITestOutputHelper output)
{
    /// <summary>chronyd needs a few polls of a new refclock before it selects it; far more than that means it never will.</summary>
    private static readonly TimeSpan SelectionBound = TimeSpan.FromSeconds(60);

    [RootOnlyFact]
    public async Task GpsAndPpsSamples_ChronydAcceptsAndSelectsThem()
    {
        await using var chronyd = await ChronyServer.StartAsync(ShippedRefclocks(out var gpsSocket, out var ppsSocket));
        var time = TimeProvider.System;
        var clock = new ClockDiscipline(time);
        var logger = new RecordingLogger();
        using var feed = new ChronyFeed(new ChronySocket(gpsSocket(chronyd.Directory), logger), new ChronySocket(ppsSocket(chronyd.Directory), logger), clock, time);
        var edgeSink = feed.WrapEdgeSink(clock.SynchronizeToPpsEdge);
        var watch = Stopwatch.StartNew();
        string sources;
        while (true)
        {
            // A receiver whose GPS time is 30 ms ahead of this machine's clock, and the PPS edge that began its second.
            var monotonic = time.GetTimestamp();
            var utc = time.GetUtcNow() + TimeSpan.FromMilliseconds(30);
            var fix = new NmeaTimeFix(utc, monotonic);
            clock.Synchronize(fix.Utc, fix.MonotonicTimestamp, ClockSource.Gps);
            feed.OnFix(fix);
            var intoSecond = utc.UtcTicks % TimeSpan.TicksPerSecond;
            Assert.True(edgeSink(monotonic - (intoSecond * time.TimestampFrequency / TimeSpan.TicksPerSecond)), "the clock refused the edge");
            sources = await chronyd.ChronycAsync("sources");
            if (Selected(sources, "PPS") && Reach(sources, "GPS")) break;
            Assert.True(watch.Elapsed < SelectionBound, $"chronyd did not select the agent's samples in {SelectionBound}:\n{sources}\n{chronyd.Output}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var stats = await chronyd.ChronycAsync("sourcestats");
        output.WriteLine($"$ chronyc -n sources\n{sources}\n$ chronyc -n sourcestats\n{stats}");
        Assert.Equal(0, feed.Failed);
        Assert.True(feed.Gps!.Sent > 0 && feed.Pps!.Sent > 0);
        Assert.Empty(logger.Lines);
        // Both refclocks have samples in their statistics (NP, the second column, above zero).
        Assert.All(new[] { "GPS", "PPS" }, refid => Assert.True(SampleCount(stats, refid) > 0, stats));
    }

    [Fact]
    public void MissingSocket_CountedLoggedOnce_NeverThrows_ThenRecovers()
    {
        using var dir = new TempDirectory("chrony-missing");
        var path = dir.File("gps.sock");
        var logger = new RecordingLogger();
        using var socket = new ChronySocket(path, logger);
        var sample = ChronySample.At(DateTimeOffset.UtcNow, 0.01, pulse: false);
        for (var i = 0; i < 5; i++) Assert.False(socket.Send(sample));
        Assert.Equal(5, socket.Failed);
        var warning = Assert.Single(logger.Lines);
        Assert.Contains("refclock SOCK", warning.Message, StringComparison.Ordinal);
        Assert.Contains(path, warning.Message, StringComparison.Ordinal);

        // chronyd starts and creates its socket: the next sample goes through, and that is said once.
        using var receiver = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        receiver.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        Assert.True(socket.Send(sample));
        var buffer = new byte[256];
        Assert.Equal(ChronySample.Size, receiver.Receive(buffer));
        Assert.Equal(ChronySample.Magic, BitConverter.ToInt32(buffer, ChronySample.Size - 4));
        Assert.Equal(2, logger.Lines.Count);
    }

    [Fact]
    public void PathThatRefusesDatagrams_CountedLoggedOnce_NeverThrows()
    {
        // A stale file where the socket should be (chronyd gone, or the wrong path): the kernel refuses every send.
        // (An unwritable socket fails the same way with EACCES and its own advice; root, as CI runs, writes any socket.)
        using var dir = new TempDirectory("chrony-stale");
        var path = dir.File("gps.sock");
        File.WriteAllText(path, "");
        var logger = new RecordingLogger();
        using var socket = new ChronySocket(path, logger);
        for (var i = 0; i < 3; i++) Assert.False(socket.Send(ChronySample.At(DateTimeOffset.UtcNow, 0, pulse: false)));
        Assert.Equal(3, socket.Failed);
        Assert.Contains("chronyd is not running", Assert.Single(logger.Lines).Message, StringComparison.Ordinal);
    }

    /// <summary>The refclock lines of the shipped snippet, with /run/gateway-chrony/ moved into the server's directory and a 1 s poll.</summary>
    private static string[] ShippedRefclocks(out Func<string, string> gps, out Func<string, string> pps)
    {
        const string Run = "/run/gateway-chrony/";
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Folder("firmware-config/chrony"), "gateway-gps.conf"))
            .Where(l => l.StartsWith("refclock ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lines.Length);
        gps = dir => Path.Combine(dir, "gps.sock");
        pps = dir => Path.Combine(dir, "pps.sock");
        return lines.Select(l => l + " poll 0").Select(l => l.Replace(Run, "{DIR}/", StringComparison.Ordinal)).ToArray();
    }

    private static IEnumerable<string[]> Rows(string table, string refid) =>
        table.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 2 && (c[0] == refid || c[1] == refid));

    /// <summary>`chronyc sources`: "#* PPS ..." marks the selected source.</summary>
    private static bool Selected(string sources, string refid) => Rows(sources, refid).Any(c => c[0] == "#*");

    /// <summary>`chronyc sources`: the reach register (octal) is non-zero once samples arrived.</summary>
    private static bool Reach(string sources, string refid) => Rows(sources, refid).Any(c => c[0].StartsWith('#') && c[4] != "0");

    private static int SampleCount(string stats, string refid) =>
        Rows(stats, refid).Select(c => int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>Skipped, with the reason shown by the runner, unless running as root (chronyd -u root needs it).</summary>
    private sealed class RootOnlyFactAttribute : FactAttribute
    {
        public RootOnlyFactAttribute()
        {
            if (Environment.UserName != "root") Skip = "chronyd -u root needs root (CI runs as root)";
        }
    }
}
