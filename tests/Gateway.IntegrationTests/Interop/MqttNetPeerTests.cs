using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Servers;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Gateway.IntegrationTests.Interop;

/// <summary>
/// Our MQTT client checked against a second, independent implementation (MQTTnet 5.2), not only against itself and
/// mosquitto (issue 13, DESIGN §7): MQTTnet publishers under 3.1.1 and 5.0 feed our ingest, and an MQTTnet
/// subscriber reads what our agent publishes. A codec fault that our client and our ingest share (both sides use
/// Gateway.Mqtt) would pass the other end-to-end tests; it cannot pass these.
/// </summary>
public sealed class MqttNetPeerTests
{
    private const string Database = "fleet";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(45);

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "peer-v311")]
    [InlineData(MqttProtocolVersion.V500, "peer-v500")]
    public async Task MqttNetPublisher_Qos1Telemetry_IsStoredByOurIngest(MqttProtocolVersion version, string gateway)
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, ingest) = (central.Broker, central.Influx, central.Ingest);

        using var publisher = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId(gateway)
            .WithProtocolVersion(version).WithCleanSession().Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await publisher.ConnectAsync(options, timeout.Token);

        // 50 messages of 10 points each, one plain, one gzip-compressed in turn: 500 distinct points.
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        for (int m = 0; m < 50; m++)
        {
            var lines = new StringBuilder();
            for (int i = 0; i < 10; i++) lines.Append(FormattableString.Invariant($"counter,sensor=seq seq={m * 10 + i + 1}i {start + m * 10 + i}\n"));
            var payload = Encoding.UTF8.GetBytes(lines.ToString());
            if (m % 2 == 1) payload = Gzip(payload);
            var message = new MqttApplicationMessageBuilder().WithTopic($"fleet/{gateway}/telemetry").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            var result = await publisher.PublishAsync(message, timeout.Token);
            Assert.True(result.IsSuccess, $"PUBACK {result.ReasonCode}");
        }

        var rows = await influx.WaitForAsync(Database, $"SELECT seq FROM counter WHERE gateway = '{gateway}'", r => r.Count >= 500, Arrival);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()).Order());
        Assert.Equal(0, ingest.Statistics.MalformedLines);
        Assert.Equal(0, ingest.Statistics.UndecodablePayloads);
        await publisher.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
    }

    [Fact]
    public async Task MqttNetSubscriber_ReadsOurAgentsBirthAndTelemetry_InOrderAndComplete()
    {
        await using var broker = await MosquittoServer.StartAsync();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = new ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("mqttnet-watcher")
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanSession().Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await subscriber.ConnectAsync(options, timeout.Token);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic("fleet/cp-peer/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build();
        await subscriber.SubscribeAsync(subscribe, timeout.Token);

        await using var stack = new StackRunner();
        await stack.StartAgentAsync(stack.WriteProfile("cp-peer", broker.Port));

        // The subscription exists before the agent starts, so its counter's first 60 readings must all come, in order.
        var seqs = new List<long>();
        while (seqs.Count < 60)
        {
            await Task.Delay(100, timeout.Token);
            seqs = CounterSeqs(received);
        }
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);

        var birth = received.First(m => m.Topic == "fleet/cp-peer/status");
        var status = System.Text.Json.JsonDocument.Parse(birth.Payload).RootElement;
        Assert.Equal("online", status.GetProperty("state").GetString());
        Assert.Equal("cp-peer", status.GetProperty("gateway").GetString());
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
    }

    /// <summary>Every counter seq in the telemetry received so far, in arrival order (batches may be gzip).</summary>
    private static List<long> CounterSeqs(IEnumerable<(string Topic, byte[] Payload, bool Retain)> messages)
    {
        var seqs = new List<long>();
        foreach (var (topic, payload, _) in messages)
        {
            if (!topic.EndsWith("/telemetry", StringComparison.Ordinal)) continue;
            var bytes = payload is [0x1f, 0x8b, ..] ? Gunzip(payload) : payload;
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                if (!line.StartsWith("counter,", StringComparison.Ordinal)) continue;
                int at = line.IndexOf("seq=", StringComparison.Ordinal) + 4;
                int end = line.IndexOf('i', at);
                seqs.Add(long.Parse(line.AsSpan(at, end - at), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return seqs;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
