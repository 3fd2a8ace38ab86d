using System.CommandLine;
using System.Globalization;
using Gateway.Cli.Commands.Mqtt;

namespace Gateway.Cli.Commands.Simulate;

/// <summary>
/// <c>gatewayctl simulate fleet --gateways N --rate R</c>: N simulated gateways, each a real MQTT client with its own
/// id, publishing the team's measurements (counter, gps, env, power, cpu, input, gateway self-metrics and asset tags)
/// to a broker: for demos, dashboard tests and the fleet benchmark (deploy/bench/fleet.sh).
/// </summary>
public static class SimulateCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        // The connection flags of pub, sub and cmd (ConnectionOptions): -h, -p, --cafile, --tls-server-name, --insecure;
        // each gateway has its own client id and certificate, so -i, --cert and --key have no meaning here.
        var connection = new ConnectionOptions();
        // The spelling before the flags were made one set: a script still using it is told the new one.
        var oldBroker = new Option<string?>("--broker") { Description = "replaced by -h HOST -p PORT", Hidden = true };
        var gateways = new Option<int>("--gateways") { Description = "simulated gateways (each its own MQTT client and id)", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "counter readings per second per gateway", DefaultValueFactory = _ => 10 };
        var tags = new Option<int>("--tags") { Description = "asset tags heard by each gateway", DefaultValueFactory = _ => 2 };
        var interval = new Option<int>("--interval-ms") { Description = "one message per gateway per interval", DefaultValueFactory = _ => 1000 };
        var sensors = new Option<int>("--sensor-interval-ms") { Description = "how often sensors and tags report", DefaultValueFactory = _ => 5000 };
        var duration = new Option<double?>("--duration") { Description = "seconds to run (default: until Ctrl-C)" };
        var burst = new Option<int?>("--burst") { Description = "bench mode: messages per gateway, as fast as the broker acknowledges, stamped in the past" };
        var prefix = new Option<string>("--prefix") { Description = "gateway ids are PREFIX-0001, PREFIX-0002, ...", DefaultValueFactory = _ => "sim" };
        var lat = new Option<double>("--lat") { Description = "latitude the fleet is placed around", DefaultValueFactory = _ => 8.4840 };
        var lon = new Option<double>("--lon") { Description = "longitude the fleet is placed around", DefaultValueFactory = _ => -13.2299 };
        var escape = new Option<double?>("--escape-every") { Description = "seconds between excursions of the first tag out of its site (geofence demo)" };
        var dump = new Option<FileInfo?>("--dump") { Description = "also write every published line to this file" };
        var certs = new Option<DirectoryInfo?>("--certs") { Description = "a certificate per gateway id, as ID.crt and ID.key (with --cafile)" };
        var ca = new Option<DirectoryInfo?>("--ca") { Description = "the CA directory: issue the gateway certificates missing from --certs" };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "seconds to wait for every gateway to connect", DefaultValueFactory = _ => 30 };
        var fleet = new Command("fleet", "Run simulated gateways against a broker")
        {
            connection.Host, connection.Port, connection.CaFile, connection.TlsServerName, connection.Insecure, oldBroker,
            gateways, rate, tags, interval, sensors, duration, burst, prefix, lat, lon, escape, dump, connectTimeout, certs, ca,
        };
        fleet.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(oldBroker) is { } old)
            {
                await error.WriteLineAsync($"--broker is now -h HOST -p PORT, as in pub, sub and cmd (got --broker {old})").ConfigureAwait(false);
                return 2;
            }
            var caFile = parse.GetValue(connection.CaFile);
            var port = parse.GetValue(connection.Port) ?? (caFile is null ? 1883 : 8883);
            if (port is < 1 or > 65535)
            {
                await error.WriteLineAsync($"-p {port}: give a port from 1 to 65535").ConfigureAwait(false);
                return 2;
            }
            var options = new FleetSimulatorOptions
            {
                BrokerHost = parse.GetValue(connection.Host)!,
                BrokerPort = port,
                Gateways = parse.GetValue(gateways),
                Rate = parse.GetValue(rate),
                TagsPerGateway = parse.GetValue(tags),
                Interval = TimeSpan.FromMilliseconds(parse.GetValue(interval)),
                SensorInterval = TimeSpan.FromMilliseconds(parse.GetValue(sensors)),
                Duration = parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null,
                Burst = parse.GetValue(burst),
                Prefix = parse.GetValue(prefix)!,
                Latitude = parse.GetValue(lat),
                Longitude = parse.GetValue(lon),
                EscapeEvery = parse.GetValue(escape) is { } e ? TimeSpan.FromSeconds(e) : null,
                DumpFile = parse.GetValue(dump)?.FullName,
                CaFile = caFile?.FullName,
                CertDir = parse.GetValue(certs)?.FullName,
                TlsServerName = parse.GetValue(connection.TlsServerName),
                SkipHostNameCheck = parse.GetValue(connection.Insecure),
            };
            if (options.Validate() is { } invalid)
            {
                await error.WriteLineAsync(invalid).ConfigureAwait(false);
                return 2;
            }
            if (SimulatedCertificates.Prepare(options, parse.GetValue(ca)?.FullName) is { } missing)
            {
                await error.WriteLineAsync(missing).ConfigureAwait(false);
                return 2;
            }
            return await RunAsync(options, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(connectTimeout))), output, error, ct).ConfigureAwait(false);
        });
        return new Command("simulate", "Simulated gateways for demos, tests and benchmarks") { fleet };
    }

    private static async Task<int> RunAsync(FleetSimulatorOptions options, TimeSpan connectTimeout, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var simulator = new FleetSimulator(options);
        await using var _ = simulator.ConfigureAwait(false);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(connectTimeout);
            await simulator.StartAsync(connect.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Only {simulator.Connected} of {options.Gateways} gateways connected to {options.BrokerHost}:{options.BrokerPort}; is the broker running, and does it allow that many connections (ulimit -n, max_connections)?").ConfigureAwait(false);
            return 1;
        }
        await output.WriteLineAsync($"{options.Gateways} simulated gateways connected to {options.BrokerHost}:{options.BrokerPort} ({options.GatewayId(0)}..{options.GatewayId(options.Gateways - 1)}); publishing" +
            (options.Burst is { } n ? $" {n} messages each" : $" every {options.Interval.TotalMilliseconds:0} ms" + (options.Duration is { } d ? $" for {d.TotalSeconds:0} s" : " until Ctrl-C"))).ConfigureAwait(false);
        var elapsed = await simulator.RunAsync(ct).ConfigureAwait(false);
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"published messages={simulator.Messages} lines={simulator.Lines} failures={simulator.Failures} seconds={seconds:0.000} messages_per_s={simulator.Messages / seconds:0} lines_per_s={simulator.Lines / seconds:0}")).ConfigureAwait(false);
        return simulator.Failures == 0 ? 0 : 1;
    }
}
