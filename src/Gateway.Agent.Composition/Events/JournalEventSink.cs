using System.Buffers;
using Gateway.DiskQueue;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Agent.Events;

/// <summary>
/// Puts events (a tag seen for the first time, a door opened, the agent's own unclean restart or data loss) into the
/// journal's event lane as line protocol. From there the publisher sends them on <c>fleet/{gateway}/events</c> before
/// telemetry, and the quota keeps them while telemetry can still be dropped: an event survives an outage and a power
/// cut like everything else the journal holds.
/// </summary>
/// <remarks>
/// Time is handled as for readings (DESIGN §4.2): the event's monotonic capture time is converted by the clock
/// discipline through the one encoder (<see cref="ReadingEncoder.EncodeEvent"/>), and an event captured before the
/// clock's first synchronisation is held under the same bounds as the pipeline's <see cref="ClockGate"/>
/// (<see cref="ClockGateOptions"/>: age and count), then appended re-based at the sync, or flagged
/// <c>time_quality=unsynced</c> when a bound is reached or the agent stops (<see cref="Complete"/>). So an
/// <c>unclean_restart</c> after a power cut without RTC never goes out with fake-hwclock time as true time. Held
/// events are in memory only, exactly like held readings: the bound on their age is the bound on what a second power
/// cut before the sync can take. Thread-safe: sources publish from their own threads.
/// </remarks>
public sealed partial class JournalEventSink : IEventSink, IDisposable
{
    private readonly Journal _journal;
    private readonly ReadingEncoder _encoder;
    private readonly ClockDiscipline _clock;
    private readonly ClockGateOptions _hold;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<AgentEvent> _held = new();
    private readonly ITimer _ageTimer;
    private bool _completed;
    private readonly AtomicCounter _appended = new();
    private readonly AtomicCounter _refused = new();
    private readonly AtomicCounter _rebased = new();
    private readonly AtomicCounter _releasedUnsynced = new();

    /// <param name="journal">Where encoded events go, in the event lane (dropped last: DESIGN §5).</param>
    /// <param name="encoder">The one line-protocol encoder, so events carry the clock's time quality as readings do.</param>
    /// <param name="clock">Whose first sync releases the held events.</param>
    /// <param name="hold">How many events, and how long, are held for the first sync (the readings' limits).</param>
    /// <param name="time">The clock for the hold's age limit.</param>
    /// <param name="logger">Logs each event (one line) and each one the journal refused.</param>
    public JournalEventSink(Journal journal, ReadingEncoder encoder, ClockDiscipline clock, ClockGateOptions hold, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(time);
        _journal = journal;
        _encoder = encoder;
        _clock = clock;
        _hold = hold;
        _time = time;
        _logger = logger;
        _ageTimer = time.CreateTimer(static s => ((JournalEventSink)s!).ReleaseDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _ = clock.WhenSynchronized.ContinueWith(static (_, s) => ((JournalEventSink)s!).ReleaseDue(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Events the journal accepted.</summary>
    public long Appended => _appended.Value;

    /// <summary>Events the journal refused (quota full of events); the journal counts them as drops too.</summary>
    public long Refused => _refused.Value;

    /// <summary>Events waiting for the clock's first sync now.</summary>
    public int Held
    {
        get
        {
            lock (_gate) return _held.Count;
        }
    }

    /// <summary>Held events appended after the sync, with its offset (as true time).</summary>
    public long Rebased => _rebased.Value;

    /// <summary>Held events appended before any sync (a bound reached, or the agent stopped): flagged unsynced.</summary>
    public long ReleasedUnsynced => _releasedUnsynced.Value;

    /// <summary>
    /// Appends the event, or holds it until the clock's first sync (then true is returned: it is accepted, and a
    /// later refusal is counted in <see cref="Refused"/>). False when the journal refused it now.
    /// </summary>
    public bool TryPublish(AgentEvent agentEvent)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        LogEvent(_logger, agentEvent.Kind, agentEvent.Message);
        lock (_gate)
        {
            bool hold = !_completed && _hold.MaxReadings > 0 && _hold.MaxAge > TimeSpan.Zero;
            // Behind held events even once synchronised, so that the lane keeps capture order.
            if (!hold || (_held.Count == 0 && _clock.IsSynchronized)) return Append(agentEvent);
            _held.Enqueue(agentEvent);
            if (_held.Count > _hold.MaxReadings) Release(_held.Dequeue());
            if (_held.Count == 1) ArmAgeTimer();
            return true;
        }
    }

    /// <summary>The agent is stopping: appends every held event now (flagged unsynced if the clock never synced),
    /// because the journal stores encoded lines and an event cannot wait in memory across a restart.</summary>
    public void Complete()
    {
        lock (_gate) _completed = true;
        ReleaseDue();
    }

    /// <summary>The line the event becomes, with the clock as it is now (tests and diagnostics).</summary>
    public void Encode(AgentEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        _encoder.EncodeEvent(e.Kind, e.Sensor, e.Tag, e.Message, e.Fields, e.Timestamp, output);
    }

    /// <summary>Stops the hold's age timer; events still held stay unwritten (<see cref="Complete"/> first writes them).</summary>
    public void Dispose() => _ageTimer.Dispose();

    /// <summary>Appends the held events that may go: all once synchronised or completed, else those at their age limit.</summary>
    private void ReleaseDue()
    {
        lock (_gate)
        {
            while (_held.TryPeek(out var oldest)
                && (_clock.IsSynchronized || _completed || _time.GetElapsedTime(oldest.Timestamp) >= _hold.MaxAge))
            {
                Release(_held.Dequeue());
            }
            if (_held.Count > 0) ArmAgeTimer();
        }
    }

    private void Release(AgentEvent e)
    {
        (_clock.IsSynchronized ? _rebased : _releasedUnsynced).Increment();
        Append(e);
    }

    private void ArmAgeTimer()
    {
        var due = _hold.MaxAge - _time.GetElapsedTime(_held.Peek().Timestamp);
        _ageTimer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Encodes and appends one event. Events are rare, so the small buffer per event is not worth pooling.</summary>
    private bool Append(AgentEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(e, buffer);
        bool appended;
        try
        {
            appended = _journal.Append(JournalLane.Event, buffer.WrittenSpan, 1);
        }
        catch (JournalFailedException)
        {
            // The agent is stopping over it (AgentWorker watches Journal.Failed); the device's loop need not die too.
            _refused.Increment();
            return false;
        }
        if (appended)
        {
            _appended.Increment();
            return true;
        }
        _refused.Increment();
        LogRefused(_logger, e.Kind);
        return false;
    }

    [LoggerMessage(EventId = 6050, Level = LogLevel.Information, Message = "Event {Kind}: {Message}")]
    private static partial void LogEvent(ILogger logger, string kind, string message);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Error, Message = "The journal refused a {Kind} event: its quota is full of events (counted as a drop)")]
    private static partial void LogRefused(ILogger logger, string kind);
}
