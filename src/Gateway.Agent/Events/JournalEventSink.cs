using System.Buffers;
using Gateway.DiskQueue;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Events;

/// <summary>
/// Puts device events (a tag seen for the first time, a door opened) into the journal's event lane as line protocol.
/// From there the publisher sends them on <c>fleet/{gateway}/events</c> before telemetry, and the quota keeps them while
/// telemetry can still be dropped: an event survives an outage and a power cut like everything else the journal holds.
/// </summary>
public sealed partial class JournalEventSink : IEventSink
{
    private readonly Journal _journal;
    private readonly string _gatewayId;
    private readonly ClockDiscipline _clock;
    private readonly ILogger _logger;
    private long _appended;
    private long _refused;

    public JournalEventSink(Journal journal, string gatewayId, ClockDiscipline clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(clock);
        _journal = journal;
        _gatewayId = gatewayId;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Events the journal accepted.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Events the journal refused (quota full of events); the journal counts them as drops too.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Encodes and appends; called from the sources' threads (the journal serialises appends). Events are rare,
    /// so the small buffer per event is not worth pooling.</summary>
    public bool TryPublish(AgentEvent agentEvent)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        LogEvent(_logger, agentEvent.Kind, agentEvent.Message);
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(agentEvent, buffer);
        bool appended;
        try
        {
            appended = _journal.Append(JournalLane.Event, buffer.WrittenSpan, 1);
        }
        catch (JournalFailedException)
        {
            // The agent is stopping over it (AgentWorker watches Journal.Failed); the device's loop need not die too.
            Interlocked.Increment(ref _refused);
            return false;
        }
        if (appended)
        {
            Interlocked.Increment(ref _appended);
            return true;
        }
        Interlocked.Increment(ref _refused);
        LogRefused(_logger, agentEvent.Kind);
        return false;
    }

    /// <summary><c>event,gateway=G,kind=K,sensor=S[,tag=T] message="...",field=value... ms</c>, tags in key order.</summary>
    public void Encode(AgentEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        var writer = new LineProtocolWriter(output);
        writer.WriteMeasurement("event");
        writer.WriteTag("gateway", _gatewayId);
        writer.WriteTag("kind", e.Kind);
        writer.WriteTag("sensor", e.Sensor);
        if (e.Tag is { } tag) writer.WriteTag("tag", tag);
        writer.WriteStringField("message", e.Message);
        foreach (var (key, value) in e.Fields)
        {
            switch (value)
            {
                case bool b: writer.WriteField(key, b); break;
                case long l: writer.WriteField(key, l); break;
                case int i: writer.WriteField(key, (long)i); break;
                case double d when double.IsFinite(d): writer.WriteField(key, d); break;
            }
        }
        writer.EndLine(_clock.ToUnixMilliseconds(e.Timestamp));
    }

    [LoggerMessage(EventId = 6050, Level = LogLevel.Information, Message = "Event {Kind}: {Message}")]
    private static partial void LogEvent(ILogger logger, string kind, string message);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Error, Message = "The journal refused a {Kind} event: its quota is full of events (counted as a drop)")]
    private static partial void LogRefused(ILogger logger, string kind);
}
