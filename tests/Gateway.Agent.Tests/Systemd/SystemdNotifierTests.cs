using System.Net.Sockets;
using System.Text;
using Gateway.Agent.Systemd;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Systemd;

/// <summary>sd_notify against a real unix datagram socket, as systemd's manager listens on one.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempDirectory _dir = new("notify");

    [Fact]
    public void Notify_PathSocket_DeliversTheStateAsOneDatagram()
    {
        using var listener = Listen(_dir.File("notify.sock"), out var path);
        using var notifier = new SystemdNotifier(path);

        Assert.Null(notifier.Notify("READY=1\nSTATUS=running"));

        Assert.Equal("READY=1\nSTATUS=running", Receive(listener));
    }

    [Fact]
    public void Notify_AbstractSocket_IsAddressedWithTheAtSign()
    {
        var name = $"gw-test-{Guid.NewGuid():N}";
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = new SystemdNotifier("@" + name);

        Assert.Null(notifier.Notify("WATCHDOG=1"));

        Assert.Equal("WATCHDOG=1", Receive(listener));
    }

    [Fact]
    public void Notify_NobodyListening_ReturnsTheErrorInsteadOfThrowing()
    {
        using var notifier = new SystemdNotifier(_dir.File("absent.sock"));
        Assert.NotNull(notifier.Notify("READY=1"));
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("30000000", "1", null)]
    [InlineData("30000000", "x", null)]
    [InlineData("0", null, null)]
    [InlineData("", null, null)]
    [InlineData(null, null, null)]
    [InlineData("-5", null, null)]
    [InlineData("abc", null, null)]
    public void WatchdogInterval_FollowsSdWatchdogEnabled(string? usec, string? pid, double? seconds)
    {
        var interval = SystemdNotifier.WatchdogInterval(usec, pid, ownPid: 4242);
        Assert.Equal(seconds, interval?.TotalSeconds);
    }

    [Fact]
    public void Lifecycle_PingsAtHalfTheInterval_OnlyWhileHealthy_AndSaysStopping()
    {
        using var listener = Listen(_dir.File("wd.sock"), out var path);
        var time = new ManualTimeProvider();
        var healthy = true;
        using var lifecycle = new SystemdLifecycle(new SystemdNotifier(path), () => healthy, NullLogger.Instance);
        lifecycle.Ready("running");
        lifecycle.StartWatchdog(time, TimeSpan.FromSeconds(30));
        Assert.Equal("READY=1\nSTATUS=running", Receive(listener));

        time.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(0, lifecycle.WatchdogPings);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, lifecycle.WatchdogPings);
        Assert.Equal("WATCHDOG=1", Receive(listener));

        healthy = false;
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, lifecycle.WatchdogPings);
        Assert.Equal(1, lifecycle.WatchdogSkipped);

        lifecycle.Stopping();
        Assert.StartsWith("STOPPING=1", Receive(listener), StringComparison.Ordinal);
    }

    [Fact]
    public void Lifecycle_WithoutNotifySocket_WarnsNever_ButStillTicksAndWritesTheStatusFile()
    {
        // Not run by systemd (a developer's shell, a container): notifying is skipped silently, and the watchdog tick
        // still does its other job, the status file for `gatewayctl status`.
        var time = new ManualTimeProvider();
        var log = new RecordingLogger();
        using var lifecycle = new SystemdLifecycle(null, () => true, log);
        var status = new StatusFile(_dir.File("status.json"), time);
        lifecycle.WriteStatusTo(status, () => new UplinkSnapshot(true, 1, 2, 3, 0));
        lifecycle.Ready("x");
        lifecycle.StartWatchdog(time, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(15));
        lifecycle.Stopping();

        Assert.Empty(log.Lines);
        Assert.Equal(1, lifecycle.WatchdogPings);
        Assert.Contains("\"backlog_batches\":1", File.ReadAllText(status.FilePath), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static Socket Listen(string path, out string bound)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 5000;
        bound = path;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        socket.ReceiveTimeout = 5000;
        var buffer = new byte[4096];
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}

public sealed class StatusFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("status");

    [Fact]
    public void Write_RecordsBacklog_AndTheTimeOfTheLastNewPublish()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var file = new StatusFile(_dir.File("status.json"), time);

        file.Write(new UplinkSnapshot(false, 3, 4096, 10, 0, "none", 57));
        using (var first = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file.FilePath)))
        {
            Assert.False(first.RootElement.GetProperty("connected").GetBoolean());
            Assert.Equal(3, first.RootElement.GetProperty("backlog_batches").GetInt32());
            Assert.Equal(4096, first.RootElement.GetProperty("backlog_bytes").GetInt64());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, first.RootElement.GetProperty("last_publish").ValueKind);
            Assert.Equal("none", first.RootElement.GetProperty("clock_source").GetString());
            Assert.Equal(57, first.RootElement.GetProperty("clock_held").GetInt64());
        }

        time.Advance(TimeSpan.FromSeconds(15));
        file.Write(new UplinkSnapshot(true, 0, 0, 13, 2, "gps+pps"));
        time.Advance(TimeSpan.FromSeconds(15));
        file.Write(new UplinkSnapshot(true, 0, 0, 13, 2, "gps"));

        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file.FilePath));
        Assert.Equal("2026-05-01T12:00:15.0000000+00:00", doc.RootElement.GetProperty("last_publish").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("dropped_readings").GetInt64());
        Assert.Equal("gps", doc.RootElement.GetProperty("clock_source").GetString());
    }

    [Fact]
    public void Write_ToAMissingDirectory_IsIgnored()
    {
        var file = new StatusFile(_dir.File("absent/status.json"), TimeProvider.System);
        file.Write(new UplinkSnapshot(true, 0, 0, 0, 0));
        Assert.False(File.Exists(file.FilePath));
    }

    public void Dispose() => _dir.Dispose();
}
