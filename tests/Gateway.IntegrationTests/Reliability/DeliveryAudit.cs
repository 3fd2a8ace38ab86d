using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Ingest.Payloads;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// A second consumer beside the ingest, with its own persistent session (3.1.1, clean session off, QoS 1, as the ingest
/// connects): it counts how often the broker delivered each counter seq of a gateway, across broker kills (it
/// reconnects by itself). The store keeps one point per seq and timestamp, so duplicates are invisible there; this is
/// where at-least-once delivery shows them.
/// </summary>
internal sealed partial class DeliveryAudit : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly string _gateway;
    private readonly Dictionary<long, int> _deliveries = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;

    private DeliveryAudit(MqttClient client, string gateway)
    {
        _client = client;
        _gateway = gateway;
    }

    public static async Task<DeliveryAudit> StartAsync(int brokerPort, string gateway, CancellationToken ct)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1", Port = brokerPort, ClientId = "crash-audit", CleanSession = false,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        });
        await client.ConnectAsync(ct);
        await client.SubscribeAsync($"fleet/{gateway}/telemetry", MqttQos.AtLeastOnce, ct);
        var audit = new DeliveryAudit(client, gateway);
        audit._reading = audit.ReadAsync();
        return audit;
    }

    /// <summary>(distinct seqs delivered, deliveries beyond the first of each) for seqs 1..<paramref name="upTo"/>.</summary>
    public (long Distinct, long Redelivered) Count(long upTo)
    {
        lock (_deliveries)
        {
            var counted = _deliveries.Where(d => d.Key >= 1 && d.Key <= upTo).ToList();
            return (counted.Count, counted.Sum(d => (long)d.Value - 1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reading; }
        catch (OperationCanceledException) { }
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var points = new List<LinePoint>();
        await foreach (var message in _client.Messages.ReadAllAsync(_stop.Token))
        {
            points.Clear();
            PayloadDecoder.DecodePoints(message.Payload, _gateway, PlausibleTime.Any, points);
            lock (_deliveries)
                foreach (var point in points)
                    if (SeqField().Match(point.ToString()) is { Success: true } m)
                    {
                        var seq = long.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                        _deliveries[seq] = _deliveries.GetValueOrDefault(seq) + 1;
                    }
        }
    }

    [GeneratedRegex(@"[ ,]seq=(\d+)i")]
    private static partial Regex SeqField();
}
