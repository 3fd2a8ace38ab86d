using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Agent.Gpsd;
using Gateway.Devices.NmeaGps;
using Gateway.TestKit.Data;
using Gateway.TestKit.Logging;

namespace Gateway.Agent.Tests.Gpsd;

/// <summary>The loopback gpsd service itself: the real cgps reading it, and clients that misbehave.</summary>
public sealed partial class GpsdServiceTests
{
    [Fact]
    public async Task Cgps_AgainstTheService_ShowsTheReceiversFix()
    {
        using var service = new GpsdService(0, "/dev/serial0", new RecordingLogger());
        service.Start();
        using var stop = new CancellationTokenSource();
        var serving = service.RunAsync(stop.Token);
        var cycles = Mt3339Cycles();
        // cgps is a curses program: script(1) gives it a terminal; -s leaves out the raw-data window.
        var info = new ProcessStartInfo("script", ["-qc", $"cgps -s 127.0.0.1:{service.Port}", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.Environment["TERM"] = "xterm";
        using var cgps = Process.Start(info) ?? throw new InvalidOperationException("script/cgps did not start (Debian packages bsdutils, gpsd-clients)");
        var output = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await cgps.StandardOutput.ReadAsync(buffer)) > 0) lock (output) output.Append(buffer, 0, n);
        });
        var watch = Stopwatch.StartNew();
        string Screen() { lock (output) return Ansi().Replace(output.ToString(), " "); }
        try
        {
            for (var i = 0; !Screen().Contains("3D DGPS FIX", StringComparison.Ordinal); i++)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"cgps showed no fix in 20 s:\n{Screen()}");
                var (fix, satellites) = cycles[i % cycles.Count];
                service.OnCycle(fix, satellites);
                await Task.Delay(50);
            }
        }
        finally
        {
            cgps.Kill(entireProcessTree: true);
            await cgps.WaitForExitAsync();
            await reading;
            await stop.CancelAsync();
            await serving;
        }
        var screen = Screen();
        Assert.Contains("44.0688", screen, StringComparison.Ordinal);  // mt3339.log: 4404.1306 N
        Assert.Contains("121.3141", screen, StringComparison.Ordinal); // 12118.8515 W
        Assert.Contains("1127.700 m", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisbehavingClients_ClosedCountedAndLoggedOnce_OthersStillServed()
    {
        var logger = new RecordingLogger();
        using var service = new GpsdService(0, "/dev/ttyS0", logger);
        service.Start();
        using var stop = new CancellationTokenSource();
        var serving = service.RunAsync(stop.Token);
        var (fix, satellites) = Mt3339Cycles().First(c => c.Satellites.Length > 0);
        Assert.NotEmpty(satellites); // so each cycle is two lines, TPV and SKY

        using var good = await ConnectAsync(service.Port);
        var goodStream = good.GetStream();
        using var goodLines = new StreamReader(goodStream, Encoding.UTF8);
        Assert.StartsWith("{\"class\":\"VERSION\"", await ReadLineAsync(goodLines), StringComparison.Ordinal);
        await goodStream.WriteAsync("?NONSENSE;?POLL;\n?WATCH={\"enable\":true,\"json\":true};"u8.ToArray());
        Assert.Equal("{\"class\":\"ERROR\",\"message\":\"Unrecognized request '?NONSENSE'\"}", await ReadLineAsync(goodLines));
        Assert.Equal("{\"class\":\"POLL\",\"active\":0,\"tpv\":[],\"sky\":[]}", await ReadLineAsync(goodLines));
        Assert.StartsWith("{\"class\":\"DEVICES\",\"devices\":[{\"class\":\"DEVICE\",\"path\":\"/dev/ttyS0\"", await ReadLineAsync(goodLines), StringComparison.Ordinal);
        Assert.StartsWith("{\"class\":\"WATCH\",\"enable\":true", await ReadLineAsync(goodLines), StringComparison.Ordinal);

        // Two clients send endless commands: each is closed; one log line for both.
        for (var i = 0; i < 2; i++)
        {
            using var flood = await ConnectAsync(service.Port);
            await flood.GetStream().WriteAsync(Encoding.ASCII.GetBytes("?WATCH=" + new string('x', 5000)));
            await AssertClosedAsync(flood);
        }
        // A client that watches and never reads: closed when its queue is full, the good one keeps its lines.
        using var slow = await ConnectAsync(service.Port, receiveBuffer: 1024);
        await slow.GetStream().WriteAsync("?WATCH={\"enable\":true};"u8.ToArray());
        await WaitAsync(() => service.Served == 4);
        // The answer to its ?WATCH says it is watching; from here on it reads nothing.
        using (var slowLines = new StreamReader(slow.GetStream(), Encoding.UTF8, leaveOpen: true))
        {
            Assert.StartsWith("{\"class\":\"VERSION\"", await ReadLineAsync(slowLines), StringComparison.Ordinal);
            Assert.StartsWith("{\"class\":\"DEVICES\"", await ReadLineAsync(slowLines), StringComparison.Ordinal);
            Assert.StartsWith("{\"class\":\"WATCH\",\"enable\":true", await ReadLineAsync(slowLines), StringComparison.Ordinal);
        }
        for (var i = 0; service.SlowClients == 0; i++)
        {
            Assert.True(i < 100_000, "the slow client was never closed");
            service.OnCycle(fix, satellites);
            // The good client reads each cycle's TPV and SKY before the next ten: never the slow one.
            if (i % 10 == 9 || service.SlowClients != 0)
                for (var line = 0; line < ((i % 10) + 1) * 2; line++) Assert.NotEmpty(await ReadLineAsync(goodLines));
        }
        service.OnCycle(fix, satellites);
        Assert.StartsWith("{\"class\":\"TPV\"", await ReadLineAsync(goodLines), StringComparison.Ordinal);

        // Beyond MaxClients, a client is closed at once.
        var many = new List<TcpClient>();
        for (var i = 0; i < GpsdService.MaxClients; i++) many.Add(await ConnectAsync(service.Port));
        await WaitAsync(() => service.Refused >= 1);
        many.ForEach(c => c.Dispose());

        await stop.CancelAsync();
        await serving;
        Assert.Equal((2, 1), (service.BadCommands, service.SlowClients));
        var warnings = logger.Lines.Select(l => l.Message).ToList();
        Assert.Single(warnings, m => m.Contains("longer than 1024 bytes", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("did not read 64 lines", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("8 clients are connected", StringComparison.Ordinal));
    }

    private static List<(NmeaFix Fix, NmeaSatellite[] Satellites)> Mt3339Cycles()
    {
        var cycles = new List<(NmeaFix, NmeaSatellite[])>();
        var replay = new NmeaLogReplay();
        using var log = File.OpenRead(Path.Combine(SharedTestData.Directory("gpsd"), "mt3339.log"));
        replay.Run(log, fix => cycles.Add((fix, replay.Assembler.Satellites.ToArray())));
        return cycles.Where(c => c.Item1.HasFix).ToList();
    }

    private static async Task<TcpClient> ConnectAsync(int port, int? receiveBuffer = null)
    {
        var client = new TcpClient();
        if (receiveBuffer is { } size) client.ReceiveBufferSize = size;
        await client.ConnectAsync("127.0.0.1", port);
        return client;
    }

    private static async Task<string> ReadLineAsync(StreamReader lines)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await lines.ReadLineAsync(cts.Token) ?? "";
    }

    private static async Task AssertClosedAsync(TcpClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cts.Token) > 0) { }
        }
        catch (IOException)
        {
            // reset by the service: closed too
        }
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the service did not get there in 10 s");
            await Task.Delay(10);
        }
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|\([0B])")]
    private static partial Regex Ansi();
}
