using System.Buffers;
using Gateway.Mqtt;

namespace Gateway.Ingest.Batching;

/// <summary>
/// Lines from several messages on their way to the store, and the messages to acknowledge once they are there.
/// Reused: <see cref="Reset"/> keeps the buffer's capacity, so a steady ingest allocates no new batch buffers.
/// </summary>
public sealed class WriteBatch
{
    private readonly ArrayBufferWriter<byte> _lines = new(256 * 1024);
    private readonly List<MqttMessage> _messages = [];
    private readonly List<(int End, int Lines)> _ends = [];

    /// <summary>Where decoded lines are appended.</summary>
    public IBufferWriter<byte> Output => _lines;

    /// <summary>The lines so far; valid until the next <see cref="Reset"/> or append.</summary>
    public ReadOnlyMemory<byte> Lines => _lines.WrittenMemory;

    public int LineCount { get; private set; }

    public IReadOnlyList<MqttMessage> Messages => _messages;

    /// <summary>When the first message went in (a <see cref="TimeProvider"/> timestamp), for the batch's age limit.</summary>
    public long StartedAt { get; private set; }

    public bool IsEmpty => _messages.Count == 0;

    /// <summary>Adds <paramref name="message"/>, whose <paramref name="lines"/> lines were just appended to <see cref="Output"/>.</summary>
    public void Add(MqttMessage message, int lines, long now)
    {
        if (_messages.Count == 0) StartedAt = now;
        _messages.Add(message);
        _ends.Add((_lines.WrittenCount, lines));
        LineCount += lines;
    }

    /// <summary>The lines of message <paramref name="index"/> alone (valid like <see cref="Lines"/>), to retry it by itself.</summary>
    public (ReadOnlyMemory<byte> Lines, int Count) MessageLines(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1].End;
        return (_lines.WrittenMemory[start.._ends[index].End], _ends[index].Lines);
    }

    public void Reset()
    {
        // A batch that once held a burst keeps at most 4 MiB between bursts.
        if (_lines.Capacity > 4 * 1024 * 1024) _lines.Clear();
        else _lines.ResetWrittenCount();
        _messages.Clear();
        _ends.Clear();
        LineCount = 0;
    }
}
