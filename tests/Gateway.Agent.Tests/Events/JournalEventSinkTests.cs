using System.Buffers;
using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Tags;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Memory;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Events;

public sealed class JournalEventSinkTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryJournal _journal;
    private readonly JournalEventSink _sink;

    public JournalEventSinkTests()
    {
        _journal = new MemoryJournal(64 * 1024, _time);
        var clock = new ClockDiscipline(_time);
        clock.SynchronizeFromSystemClock();
        _sink = new JournalEventSink(_journal, "cp-1", clock, NullLogger.Instance);
    }

    public void Dispose() => _journal.Dispose();

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
    public void TryPublish_AppendsToTheJournalsEventLane_InOrder()
    {
        Assert.True(_sink.TryPublish(new AgentEvent("door", "d", "first", _time.GetTimestamp())));
        Assert.True(_sink.TryPublish(new AgentEvent("door", "d", "second", _time.GetTimestamp())));
        Assert.Equal(2, _sink.Appended);
        Assert.False(_journal.TryRead(JournalLane.Telemetry, out _));
        Assert.True(_journal.TryRead(JournalLane.Event, out var first));
        using (first)
        {
            Assert.Equal(1, first.ItemCount);
            Assert.Contains("message=\"first\"", Encoding.UTF8.GetString(first.Payload.Span), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryPublish_JournalFullOfEvents_KeepsTheNewestAndCountsTheDrops()
    {
        // With only events left, a full journal makes room by dropping its oldest event: the newest news wins.
        using var tiny = new MemoryJournal(300, _time);
        var clock = new ClockDiscipline(_time);
        clock.SynchronizeFromSystemClock();
        var sink = new JournalEventSink(tiny, "cp-1", clock, NullLogger.Instance);
        for (var i = 0; i < 10; i++) Assert.True(sink.TryPublish(new AgentEvent("door", "d", $"event {i}", 0)));
        Assert.True(tiny.Statistics.DroppedItems > 0);
        Assert.Equal(10 - tiny.Statistics.DroppedItems, tiny.UnacknowledgedRecords);
        Assert.True(tiny.TryReadLast(JournalLane.Event, out var last));
        using (last) Assert.Contains("message=\"event 9\"", Encoding.UTF8.GetString(last.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void TryPublish_EventLargerThanTheQuota_IsRefusedAndCounted()
    {
        using var tiny = new MemoryJournal(300, _time);
        var clock = new ClockDiscipline(_time);
        clock.SynchronizeFromSystemClock();
        var sink = new JournalEventSink(tiny, "cp-1", clock, NullLogger.Instance);
        Assert.False(sink.TryPublish(new AgentEvent("door", "d", new string('x', 400), 0)));
        Assert.Equal(1, sink.Refused);
    }

    private string Encode(AgentEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        _sink.Encode(e, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertParses(string line)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));
        Assert.True(LineProtocolParser.TryRead(ref reader, out var point));
        Assert.Equal("event", point.Measurement);
        Assert.NotNull(point.Timestamp);
    }
}
