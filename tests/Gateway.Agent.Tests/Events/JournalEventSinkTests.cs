using System.Buffers;
using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Agent.Uplink;
using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Tags;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Memory;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
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
        _sink = Sink(_journal, clock);
    }

    public void Dispose()
    {
        _sink.Dispose();
        _journal.Dispose();
    }

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
        using var sink = Sink(tiny, clock);
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
        using var sink = Sink(tiny, clock);
        Assert.False(sink.TryPublish(new AgentEvent("door", "d", new string('x', 400), 0)));
        Assert.Equal(1, sink.Refused);
    }

    [Fact]
    public void UncleanRestart_SyncNeverComes_IsHeldThenFlaggedUnsynced()
    {
        // A power cut without RTC: the system clock says fake-hwclock time, and no source has synchronised the clock.
        var clock = new ClockDiscipline(_time);
        using var journal = new MemoryJournal(64 * 1024, _time);
        using var sink = Sink(journal, clock);
        Assert.True(sink.TryPublish(AgentEvents.Unclean(3, _time.GetTimestamp())));
        Assert.Equal(1, sink.Held);
        Assert.False(journal.TryRead(JournalLane.Event, out _));

        _time.Advance(HoldMaxAge);

        Assert.Equal(0, sink.Held);
        Assert.Equal(1, sink.ReleasedUnsynced);
        var line = ReadEvent(journal);
        Assert.StartsWith("event,gateway=cp-1,kind=unclean_restart,sensor=agent,time_quality=unsynced message=", line, StringComparison.Ordinal);
        Assert.Contains(",unacknowledged=3i ", line, StringComparison.Ordinal);
        AssertParses(line);
    }

    [Fact]
    public void DoorEvent_BeforeTheFirstSync_IsRebasedOnTheSyncsOffset()
    {
        var clock = new ClockDiscipline(_time);
        using var journal = new MemoryJournal(64 * 1024, _time);
        using var sink = Sink(journal, clock);
        long captured = _time.GetTimestamp();
        Assert.True(sink.TryPublish(SensorComposition.InputEvent(new InputChanged("door", "door", true, captured))));
        _time.Advance(TimeSpan.FromSeconds(10));

        // GPS says the system clock was an hour behind; the event happened 10 s before this fix.
        var trueNow = _time.GetUtcNow().AddHours(1);
        Assert.True(clock.Synchronize(trueNow, _time.GetTimestamp(), ClockSource.Gps));
        Assert.True(SpinWait.SpinUntil(() => sink.Rebased == 1, TimeSpan.FromSeconds(30)), "the sync did not release the held event");

        var line = ReadEvent(journal);
        Assert.DoesNotContain("time_quality", line, StringComparison.Ordinal);
        Assert.EndsWith($" {trueNow.AddSeconds(-10).ToUnixTimeMilliseconds()}\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_BeforeAnySync_AppendsHeldEventsFlaggedUnsynced_AndLaterOnesAtOnce()
    {
        var clock = new ClockDiscipline(_time);
        using var journal = new MemoryJournal(64 * 1024, _time);
        using var sink = Sink(journal, clock);
        Assert.True(sink.TryPublish(AgentEvents.QuotaDrops(5, _time.GetTimestamp())));
        sink.Complete();
        Assert.Contains(",time_quality=unsynced ", ReadEvent(journal), StringComparison.Ordinal);
        Assert.True(sink.TryPublish(AgentEvents.QuotaDrops(6, _time.GetTimestamp())));
        Assert.Equal(0, sink.Held);
        Assert.Equal(2, sink.Appended);
    }

    private static readonly TimeSpan HoldMaxAge = TimeSpan.FromMinutes(2);

    private JournalEventSink Sink(Journal journal, ClockDiscipline clock) =>
        new(journal, new ReadingEncoder(new SourceRegistry(), "cp-1", clock), clock,
            new ClockGateOptions { MaxReadings = 100, MaxAge = HoldMaxAge }, _time, NullLogger.Instance);

    private static string ReadEvent(Journal journal)
    {
        Assert.True(journal.TryReadLast(JournalLane.Event, out var record));
        using (record) return Encoding.UTF8.GetString(record.Payload.Span);
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
