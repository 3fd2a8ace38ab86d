using System.Text;
using System.Text.Json;
using Gateway.Cli.Commands.Simulate;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.Cli.Tests.Simulate;

public sealed class SimulateFleetTests
{
    [Theory]
    [InlineData(new[] { "--broker", "127.0.0.1:1883" }, "--broker is now -h HOST -p PORT")]
    [InlineData(new[] { "-p", "70000" }, "-p 70000: give a port from 1 to 65535")]
    [InlineData(new[] { "--rate", "5000" }, "--rate must be 0-1000")]
    [InlineData(new[] { "--gateways", "0" }, "--gateways must be 1-100000")]
    [InlineData(new[] { "--prefix", "Bad Prefix" }, "--prefix must be 1-50 characters")]
    [InlineData(new[] { "--tags", "300" }, "--tags must be 0-255")]
    public void BadOptions_ExitNonZero_SayingWhy(string[] options, string expected)
    {
        var (code, _, error) = Run(["simulate", "fleet", .. options]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoBroker_ExitsNonZero_WithAHint()
    {
        var (code, _, error) = Run(["simulate", "fleet", "-h", "127.0.0.1", "-p", $"{FreePort.Next()}", "--gateways", "1", "--burst", "1", "--connect-timeout", "2"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, code);
        Assert.Contains("is the broker running", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Burst_EachGatewayIsItsOwnClient_PublishingTheMeasurementContract()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var watcher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "watcher" });
        await watcher.ConnectAsync(CancellationToken.None);
        await watcher.SubscribeAsync("fleet/#", MqttQos.AtLeastOnce);
        using var dir = new TempDirectory("sim");
        var dump = dir.File("lines.lp");

        var (code, output, error) = Run(["simulate", "fleet", "-h", "127.0.0.1", "-p", $"{broker.Port}", "--gateways", "5", "--rate", "20", "--tags", "2",
            "--burst", "10", "--sensor-interval-ms", "2000", "--dump", dump], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, error);
        Assert.Contains("published messages=50 ", output, StringComparison.Ordinal);

        var telemetry = new Dictionary<string, List<LinePoint>>();
        var status = new Dictionary<string, List<string>>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (telemetry.Values.Sum(v => v.Count(p => p.Measurement == "counter")) < 5 * 200 || status.Values.Any(s => s.Count < 2) || status.Count < 5)
        {
            var m = await watcher.Messages.ReadAsync(cts.Token);
            var parts = m.Topic.Split('/');
            if (parts[2] == "status")
            {
                using var doc = JsonDocument.Parse(m.Payload);
                (status.TryGetValue(parts[1], out var l) ? l : status[parts[1]] = []).Add(doc.RootElement.GetProperty("state").GetString()!);
            }
            else if (parts[2] == "telemetry")
            {
                var points = new List<LinePoint>();
                var errors = new List<LineProtocolException>();
                LineProtocolParser.ParsePayload(m.Payload.Span, points, errors);
                Assert.Empty(errors);
                (telemetry.TryGetValue(parts[1], out var l) ? l : telemetry[parts[1]] = []).AddRange(points);
            }
        }
        Assert.Equal(["sim-0001", "sim-0002", "sim-0003", "sim-0004", "sim-0005"], telemetry.Keys.Order());
        Assert.All(status.Values, s => Assert.Equal(["online", "offline"], s));
        foreach (var (gateway, points) in telemetry)
        {
            Assert.All(points, p => Assert.Equal(gateway, p.Tags.Single(t => t.Key == "gateway").Value));
            Assert.All(points, p => Assert.NotNull(p.Timestamp));
            var seqs = points.Where(p => p.Measurement == "counter").Select(p => p.Fields.Single().Value.Integer).ToList();
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
            Assert.Equal(seqs.Count, points.Where(p => p.Measurement == "counter").Select(p => p.Timestamp).Distinct().Count());
            var measurements = points.Select(p => p.Measurement).ToHashSet();
            Assert.Superset(new HashSet<string> { "counter", "gps", "env", "power", "cpu", "gateway", "input", "tag" }, measurements);
            var tags = points.Where(p => p.Measurement == "tag").Select(p => p.Tags.Single(t => t.Key == "tag").Value).Distinct().ToList();
            Assert.Equal(2, tags.Count);
            Assert.All(tags, t => Assert.Matches("^[0-9a-f]{8}$", t));
        }
        var dumped = await File.ReadAllLinesAsync(dump);
        Assert.Equal(telemetry.Values.Sum(v => v.Count), dumped.Length);
    }

    [Fact]
    public void Options_PlaceGatewaysOnAGrid_AndNameTagsUniquely()
    {
        var o = new FleetSimulatorOptions { Gateways = 4, Latitude = 1, Longitude = 2 };
        Assert.Equal((1.01, 2.0), o.GatewayPosition(0));
        Assert.Equal((1.02, 2.01), (Math.Round(o.GatewayPosition(3).Lat, 6), Math.Round(o.GatewayPosition(3).Lon, 6)));
        Assert.Equal("a0000100", FleetSimulatorOptions.TagId(0, 0));
        Assert.Equal(1000, Enumerable.Range(0, 100).SelectMany(g => Enumerable.Range(0, 10).Select(t => FleetSimulatorOptions.TagId(g, t))).Distinct().Count());
    }

    private static (int Code, string Output, string Error) Run(string[] args, TimeSpan? timeout = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var run = Task.Run(() => GatewayCtl.Run(args, output, error));
        Assert.True(run.Wait(timeout ?? TimeSpan.FromSeconds(30)), "gatewayctl did not finish in time");
        return (run.Result, output.ToString(), error.ToString());
    }
}
