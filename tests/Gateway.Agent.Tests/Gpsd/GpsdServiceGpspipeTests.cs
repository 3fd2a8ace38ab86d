using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Gateway.Agent.Tests.Support;

namespace Gateway.Agent.Tests.Gpsd;

/// <summary>
/// Issue 16 item 3, the service side: the gps source with <c>gpsdPort</c>, composed as the agent composes it
/// (SourceFactory, GpsComposition.ServeGpsd) over the simulated receiver, watched by the real <c>gpspipe -w</c> from
/// Debian's gpsd-clients.
/// </summary>
public sealed class GpsdServiceGpspipeTests
{
    private const double SiteLatitude = 8.48, SiteLongitude = -13.23;

    [Fact]
    public async Task GpspipeW_AgainstTheAgent_GetsVersionWatchAndTheReceiversFixes()
    {
        var port = FreePort.Next();
        var profile = ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
            {
              "gatewayId": "cp-gpsd", "hardware": "simulated",
              "site": { "name": "Alpha", "latitude": {{SiteLatitude}}, "longitude": {{SiteLongitude}} },
              "broker": { "host": "127.0.0.1" },
              "sources": [ { "type": "gps", "name": "gps", "device": "/dev/serial0", "gpsdPort": {{port}} } ]
            }
            """), "p.json");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero));
        using var state = new TempDirectory("gpsd-service");
        using var hardware = new SimulatedHardware(profile, state.Path, time);
        var sources = SourceFactory.Create(profile, hardware, new DeviceEnvironment(state.Path, new NoEvents(), NullLoggerFactory.Instance));
        var logger = new RecordingLogger();
        using var service = GpsComposition.ServeGpsd(profile, sources, logger);
        Assert.NotNull(service);
        Assert.Equal(port, service.Port);
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 10_000 });
        using var stop = new CancellationTokenSource();
        var serving = service.RunAsync(stop.Token);
        var gps = Assert.Single(sources).RunAsync(new SourceContext(new SourceId(0), pipeline, time, NullLogger.Instance), stop.Token);

        using var gpspipe = Process.Start(new ProcessStartInfo("gpspipe", ["-w", "-n", "12", $"127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("gpspipe did not start (Debian package gpsd-clients)");
        var output = gpspipe.StandardOutput.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!gpspipe.HasExited)
        {
            // A guard against a hang, not a timing assertion: the simulated receiver's seconds pass as fast as we step.
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                gpspipe.Kill();
                Assert.Fail($"gpspipe did not get 12 lines in 30 s; it got:\n{await output}");
            }
            if (gps.IsCompleted) await gps;
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await stop.CancelAsync();
        await serving;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gps);

        Assert.Equal(0, gpspipe.ExitCode);
        var classes = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("class").GetString()).ToList();
        Assert.Equal(["VERSION", "DEVICES", "WATCH"], classes.Take(3));
        Assert.Equal("/dev/serial0", JsonDocument.Parse(lines[1]).RootElement.GetProperty("devices")[0].GetProperty("path").GetString());
        var tpvs = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("class").GetString() == "TPV").ToList();
        Assert.True(tpvs.Count >= 3, string.Join('\n', lines));
        foreach (var tpv in tpvs.Where(t => t.GetProperty("mode").GetInt32() >= 2))
        {
            // The simulated receiver drives a loop 100-200 m from the site.
            Assert.Equal(SiteLatitude, tpv.GetProperty("lat").GetDouble(), 1);
            Assert.Equal(SiteLongitude, tpv.GetProperty("lon").GetDouble(), 1);
            Assert.True(tpv.TryGetProperty("time", out _));
        }
        // The simulated receiver sends GGA/RMC/GSA, no GSV: a SKY with the cycle's DOPs and no satellite list.
        Assert.Contains(lines, l => l.Contains("\"class\":\"SKY\"", StringComparison.Ordinal) && l.Contains("\"hdop\":", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Message.Contains($"gpspipe -w 127.0.0.1:{port}", StringComparison.Ordinal));
    }
}
