using System.Buffers;
using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Tags;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Time;

namespace Gateway.Agent.Tests.Events;

public sealed class EventPublisherTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MqttClient _client = new(new MqttClientOptions { Host = "127.0.0.1", Port = 1, ClientId = "t" });
    private readonly EventPublisher _publisher;

    public EventPublisherTests()
    {
        var clock = new ClockDiscipline(_time);
        clock.SynchronizeFromSystemClock();
        _publisher = new EventPublisher(_client, "cp-1", clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public void TagSeen_EncodesAsAnEventLineWithTagAndFields()
    {
        var frame = new TagFrame(0xA5000001, 3, TagFlags.Position, 3550, 84_840_000, -132_299_000, 0);
        var line = Encode(LoraComposition.TagSeenEvent("lora", new TagSeen(frame, -97.4, 7.25, _time.GetTimestamp())));
        Assert.StartsWith("event,gateway=cp-1,kind=tag_seen,sensor=lora,tag=a5000001 message=\"tag a5000001 seen for the first time at this gateway (RSSI -97 dBm)\",counter=3i,battery_mv=3550i,rssi=-97.4,snr=7.25,lat=8.484,lon=-13.2299 ", line, StringComparison.Ordinal);
        Assert.EndsWith($" {_time.GetUtcNow().ToUnixTimeMilliseconds()}\n", line, StringComparison.Ordinal);
        AssertParses(line);
    }

    [Fact]
    public void DoorOpened_EncodesKindStateAndAlarm()
    {
        var line = Encode(SensorComposition.InputEvent(new InputChanged("door", "door", true, _time.GetTimestamp())));
        Assert.StartsWith("event,gateway=cp-1,kind=door,sensor=door message=\"door 'door' opened\",state=true,alarm=true ", line, StringComparison.Ordinal);
        AssertParses(line);
    }

    [Fact]
    public void Message_WithQuotesAndBackslashes_IsEscaped()
    {
        var line = Encode(new AgentEvent("tamper", "box 1", "say \"hi\" \\ there", _time.GetTimestamp()));
        Assert.Contains("sensor=box\\ 1", line, StringComparison.Ordinal);
        Assert.Contains("message=\"say \\\"hi\\\" \\\\ there\"", line, StringComparison.Ordinal);
        AssertParses(line);
    }

    [Fact]
    public async Task QueueFull_DropsTheOldestAndCounts()
    {
        for (var i = 0; i < EventPublisher.Capacity + 5; i++)
            _publisher.TryPublish(new AgentEvent("door", "d", $"e{i}", 0));
        Assert.Equal(5, _publisher.Dropped);
        _publisher.Complete();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await _publisher.RunAsync(cts.Token); // not connected: publishing waits, then the stop gives up and logs
        Assert.Equal(0, _publisher.Published);
    }

    private string Encode(AgentEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        _publisher.Encode(e, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertParses(string line)
    {
        var reader = new System.Buffers.SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));
        Assert.True(LineProtocolParser.TryRead(ref reader, out var point));
        Assert.Equal("event", point.Measurement);
        Assert.NotNull(point.Timestamp);
    }
}
