using System.Text;
using Gateway.Cli.Pki;
using Gateway.Mqtt;

namespace Gateway.IntegrationTests.Security;

/// <summary>One mosquitto from <c>gatewayctl broker config</c> with the certificates every ACL row needs.</summary>
public sealed class AclBrokerFixture : IAsyncLifetime
{
    public FleetBroker Fleet { get; } = new();

    public async Task InitializeAsync()
    {
        foreach (var gateway in new[] { "gw-a", "gw-b" }) Fleet.Issue(gateway, CertificateRole.Gateway);
        foreach (var ingest in new[] { "ingest-hq", "ingest-2" }) Fleet.Issue(ingest, CertificateRole.Ingest);
        foreach (var op in new[] { "alice", "bob" }) Fleet.Issue(op, CertificateRole.Operator);
        await Fleet.StartAsync();
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

/// <summary>
/// Every row of the broker ACL (the topic contract of DESIGN §4.3, docs/engineers.md "Security"), against the real
/// mosquitto running the generated configuration, under MQTT 5.0 and 3.1.1. Each row: a subscriber holding the
/// certificate of one role subscribes; a publisher of another role publishes one message; then a sentinel the
/// subscriber may read is published. mosquitto handles packets one at a time, so by the time the sentinel arrives the
/// row's message has arrived too, or never will: "nothing arrives" is proven, not waited for. A refused publish gets
/// PUBACK 0x87 under 5.0; under 3.1.1 the broker acknowledges it as if accepted and drops it (the protocol has no way
/// to refuse), which the rows also check.
/// </summary>
public sealed class AclMatrixTests(AclBrokerFixture broker) : IClassFixture<AclBrokerFixture>
{
    /// <summary>One ACL row: <paramref name="Publisher"/> writes <paramref name="Topic"/>, <paramref name="Subscriber"/> reads <paramref name="Filter"/>.</summary>
    public sealed record Row(string Id, string Publisher, string Topic, string Subscriber, string Filter, bool Arrives, bool WriteRefused, string Proves)
    {
        public override string ToString() => $"{Id}: {Proves}";
    }

    public static readonly IReadOnlyList<Row> Rows =
    [
        // A gateway writes its own telemetry, events, status and replies, and reads its own commands.
        new("G1", "gw-a", "fleet/gw-a/telemetry", "ingest-hq", "fleet/#", true, false, "a gateway writes its own telemetry; the ingest reads it"),
        new("G2", "gw-a", "fleet/gw-a/events", "ingest-hq", "fleet/#", true, false, "a gateway writes its own events; the ingest reads them"),
        new("G3", "gw-a", "fleet/gw-a/status", "alice", "fleet/+/status", true, false, "a gateway writes its own status; operators read it"),
        new("G4", "gw-a", "fleet/gw-a/reply/alice/c1", "alice", "fleet/+/reply/alice/#", true, false, "a gateway replies in its own tree; the operator named in it reads"),
        new("G5", "alice", "cmd/gw-a/status", "gw-a", "cmd/gw-a/+", true, false, "a gateway reads its own commands; operators write commands"),
        // ... and nothing else.
        new("G6", "gw-a", "fleet/gw-b/telemetry", "ingest-hq", "fleet/#", false, true, "a gateway cannot write as another gateway"),
        new("G7", "gw-a", "fleet/gw-a/cmd/restart", "ingest-hq", "fleet/#", false, true, "a gateway cannot write other kinds under its id (the old command tree included)"),
        new("G8", "gw-a", "cmd/gw-a/restart", "gw-a", "cmd/gw-a/+", false, true, "a gateway cannot command itself"),
        new("G9", "gw-a", "cmd/gw-b/restart", "gw-b", "cmd/gw-b/+", false, true, "a gateway cannot command another gateway"),
        new("G10", "gw-a", "fleet/alerts", "alice", "fleet/alerts", false, true, "a gateway cannot raise alerts"),
        new("G11", "gw-a", "fleet/gw-b/reply/alice/c1", "alice", "fleet/+/reply/alice/#", false, true, "a gateway cannot answer for another gateway"),
        new("G12", "alice", "cmd/gw-b/status", "gw-a", "cmd/+/+", false, false, "a gateway does not read another gateway's commands"),
        new("G13", "gw-b", "fleet/gw-b/telemetry", "gw-a", "fleet/#", false, false, "a gateway does not read the fleet"),
        new("G14", "ingest-hq", "fleet/alerts", "gw-a", "fleet/alerts", false, false, "a gateway does not read alerts"),
        // The ingest reads the fleet and writes alerts, and nothing else.
        new("I1", "gw-b", "fleet/gw-b/telemetry", "ingest-hq", "$share/ingest/fleet/+/telemetry", true, false, "the ingest reads telemetry through its shared subscription"),
        new("I2", "gw-b", "fleet/gw-b/reply/alice/c2", "ingest-hq", "fleet/#", true, false, "the ingest reads the whole fleet, replies included"),
        new("I3", "ingest-hq", "fleet/alerts", "alice", "fleet/alerts", true, false, "the ingest writes alerts; operators read them"),
        new("I4", "ingest-hq", "fleet/ingest-hq/telemetry", "ingest-2", "fleet/#", false, true, "the ingest cannot write as a pseudo-gateway named like itself"),
        new("I5", "ingest-hq", "fleet/gw-a/telemetry", "ingest-2", "fleet/#", false, true, "the ingest cannot write as a gateway"),
        new("I6", "ingest-hq", "cmd/gw-a/restart", "gw-a", "cmd/gw-a/+", false, true, "the ingest cannot send commands"),
        new("I7", "alice", "cmd/gw-a/status", "ingest-hq", "cmd/#", false, false, "the ingest does not read commands"),
        // Operators write commands and read status, their own replies and alerts, and nothing else.
        new("O1", "alice", "fleet/alice/telemetry", "ingest-hq", "fleet/#", false, true, "an operator cannot publish as a pseudo-gateway under its own name (issue 12 item 9)"),
        new("O2", "alice", "fleet/gw-a/telemetry", "ingest-hq", "fleet/#", false, true, "an operator cannot write as a gateway"),
        new("O3", "alice", "fleet/alerts", "bob", "fleet/alerts", false, true, "an operator cannot raise alerts"),
        new("O4", "gw-a", "fleet/gw-a/reply/bob/c3", "alice", "fleet/+/reply/#", false, false, "an operator does not read another operator's replies"),
        new("O5", "gw-a", "fleet/gw-a/telemetry", "alice", "fleet/+/telemetry", false, false, "an operator does not read telemetry"),
        new("O6", "gw-a", "fleet/gw-a/events", "alice", "fleet/#", false, false, "an operator does not read events"),
        new("O7", "alice", "cmd/gw-a/status", "bob", "cmd/#", false, false, "an operator does not read commands"),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Rows)
            foreach (var version in new[] { "5.0", "3.1.1" })
                data.Add(row.Id, version);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AclRow_HoldsAgainstTheGeneratedBrokerConfiguration(string id, string version)
    {
        var row = Rows.Single(r => r.Id == id);
        var protocol = version == "5.0" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (sentinelPublisher, sentinelTopic) = Sentinel(row.Subscriber);
        await using var subscriber = await ConnectAsync(row.Subscriber, protocol, cts.Token);
        await subscriber.SubscribeAsync(row.Filter, MqttQos.AtLeastOnce, cts.Token);
        await subscriber.SubscribeAsync(sentinelTopic, MqttQos.AtLeastOnce, cts.Token);

        var payload = $"{row.Id}-{version}-{Guid.NewGuid():N}";
        await using (var publisher = await ConnectAsync(row.Publisher, protocol, cts.Token))
        {
            if (row.WriteRefused && protocol == MqttProtocolVersion.V500)
            {
                var refused = await Assert.ThrowsAsync<MqttPublishException>(() => publisher.PublishAsync(row.Topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, false, cts.Token).AsTask());
                Assert.Equal(MqttReasonCode.NotAuthorized, refused.ReasonCode);
            }
            else
            {
                // Allowed, or refused under 3.1.1: acknowledged either way (3.1.1 has no refusal; the broker drops it).
                await publisher.PublishAsync(row.Topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, false, cts.Token);
            }
        }

        var arrived = await ReceivedBeforeSentinelAsync(subscriber, sentinelPublisher, sentinelTopic, cts.Token);
        Assert.True(row.Arrives == arrived.Contains($"{row.Topic} {payload}"),
            $"{row}: expected the message to {(row.Arrives ? "arrive" : "not arrive")} over MQTT {version}; received before the sentinel: [{string.Join(", ", arrived)}]");
    }

    [Theory]
    [InlineData("gw-a", "5.0")]
    [InlineData("gw-a", "3.1.1")]
    [InlineData("ingest-hq", "5.0")]
    [InlineData("ingest-hq", "3.1.1")]
    [InlineData("alice", "5.0")]
    [InlineData("alice", "3.1.1")]
    public async Task Sys_IsReadByNobody(string who, string version)
    {
        // mosquitto keeps $SYS/broker/version retained: a subscriber allowed to read $SYS gets it at once.
        var protocol = version == "5.0" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (sentinelPublisher, sentinelTopic) = Sentinel(who);
        await using var subscriber = await ConnectAsync(who, protocol, cts.Token);
        await subscriber.SubscribeAsync("$SYS/#", MqttQos.AtLeastOnce, cts.Token);
        await subscriber.SubscribeAsync(sentinelTopic, MqttQos.AtLeastOnce, cts.Token);

        var arrived = await ReceivedBeforeSentinelAsync(subscriber, sentinelPublisher, sentinelTopic, cts.Token);

        Assert.DoesNotContain(arrived, m => m.StartsWith('$'));
    }

    /// <summary>A topic each subscriber may read and who may write it: the row it relies on is itself in <see cref="Rows"/>.</summary>
    private static (string Publisher, string Topic) Sentinel(string subscriber) => subscriber switch
    {
        "gw-a" or "gw-b" => ("alice", $"cmd/{subscriber}/status"),
        "ingest-hq" or "ingest-2" => ("gw-b", "fleet/gw-b/events"),
        _ => ("ingest-hq", "fleet/alerts"),
    };

    /// <summary>Publishes a unique sentinel and returns "topic payload" of everything the subscriber got before it.</summary>
    private async Task<List<string>> ReceivedBeforeSentinelAsync(MqttClient subscriber, string sentinelPublisher, string sentinelTopic, CancellationToken ct)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}";
        await using (var publisher = await ConnectAsync(sentinelPublisher, MqttProtocolVersion.V500, ct))
            await publisher.PublishAsync(sentinelTopic, Encoding.UTF8.GetBytes(sentinel), MqttQos.AtLeastOnce, false, ct);
        var received = new List<string>();
        while (true)
        {
            var message = await subscriber.Messages.ReadAsync(ct);
            var text = $"{message.Topic} {Encoding.UTF8.GetString(message.Payload.Span)}";
            if (text == $"{sentinelTopic} {sentinel}") return received;
            received.Add(text);
        }
    }

    private async Task<MqttClient> ConnectAsync(string certificate, MqttProtocolVersion version, CancellationToken ct)
    {
        var client = new MqttClient(broker.Fleet.ClientOptions(certificate, version));
        await client.ConnectAsync(ct);
        return client;
    }
}
