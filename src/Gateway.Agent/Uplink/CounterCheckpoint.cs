using System.Buffers.Binary;
using System.Globalization;
using Gateway.DiskQueue;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Readings;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Persists, per <c>counter</c> source, the next <c>seq</c> after the last one the journal accepted, so that a restarted
/// counter continues instead of starting again at 1. Then "every seq from 1 to the last accepted is in the store"
/// is an exact statement about the journal: a seq that was still in the pipeline when the agent was killed was never
/// accepted, and the restarted counter issues it again (with a new timestamp) rather than leaving a false gap.
/// </summary>
/// <remarks>
/// File: <c>{state}/counter-{name}.next</c>, 12 bytes (next seq LE, CRC-32C of it), rewritten in place after each
/// append; a write of 12 bytes at offset 0 survives a kill whole. The one window, a kill between the journal's append
/// and this write, is closed at start-up by also reading the newest journal record (<see cref="ResolveNext"/>).
/// Zero allocation per reading: <see cref="Observe"/> is an array lookup.
/// </remarks>
public sealed class CounterCheckpoint : IDisposable
{
    private readonly long[] _pending;
    private readonly long[] _committed;
    private readonly SafeFileHandle?[] _files;

    /// <param name="counters">Each counter source's id and the next seq it will issue.</param>
    public CounterCheckpoint(string stateDirectory, IReadOnlyList<(SourceId Id, string Name, long NextSeq)> counters)
    {
        var size = counters.Count == 0 ? 0 : counters.Max(c => c.Id.Value) + 1;
        _pending = new long[size];
        _committed = new long[size];
        _files = new SafeFileHandle?[size];
        foreach (var (id, name, next) in counters)
        {
            _pending[id.Value] = _committed[id.Value] = next;
            _files[id.Value] = File.OpenHandle(PathOf(stateDirectory, name), FileMode.OpenOrCreate, FileAccess.ReadWrite);
            Write(_files[id.Value]!, next);
        }
    }

    /// <summary>Notes a reading that is in the batch being built.</summary>
    public void Observe(in Reading reading)
    {
        var i = reading.Source.Value;
        if (i >= _files.Length || _files[i] is null) return;
        var next = (long)reading.Values[0] + 1;
        if (next > _pending[i]) _pending[i] = next;
    }

    /// <summary>The batch was appended: persist the counters it advanced.</summary>
    public void Commit()
    {
        for (var i = 0; i < _files.Length; i++)
        {
            if (_files[i] is not { } file || _pending[i] == _committed[i]) continue;
            Write(file, _pending[i]);
            _committed[i] = _pending[i];
        }
    }

    /// <summary>
    /// The seq a counter named <paramref name="name"/> starts at: after both the persisted checkpoint and the newest
    /// record still in the journal (which may be one batch ahead of the checkpoint after a kill).
    /// </summary>
    public static long ResolveNext(string stateDirectory, string name, Journal journal)
    {
        long next = 1;
        var path = PathOf(stateDirectory, name);
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 12 && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) == Crc(bytes.AsSpan(0, 8)))
                next = Math.Max(next, BinaryPrimitives.ReadInt64LittleEndian(bytes));
        }
        if (journal.TryReadLast(JournalLane.Telemetry, out var last))
        {
            using (last)
            {
                var points = new List<LinePoint>();
                LineProtocolParser.ParsePayload(last.Payload.Span, points, new List<LineProtocolException>());
                foreach (var p in points)
                {
                    if (p.Measurement != "counter" || !p.Tags.Exists(t => t.Key == "sensor" && t.Value == name)) continue;
                    foreach (var f in p.Fields)
                        if (f.Key == "seq" && f.Value.Kind == LineFieldKind.Integer) next = Math.Max(next, f.Value.Integer + 1);
                }
            }
        }
        return next;
    }

    private static string PathOf(string stateDirectory, string name) =>
        Path.Combine(stateDirectory, string.Create(CultureInfo.InvariantCulture, $"counter-{name}.next"));

    private static void Write(SafeFileHandle file, long next)
    {
        Span<byte> data = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(data, next);
        BinaryPrimitives.WriteUInt32LittleEndian(data[8..], Crc(data[..8]));
        RandomAccess.Write(file, data, 0);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var state = ~0u;
        foreach (var b in data) state = System.Numerics.BitOperations.Crc32C(state, b);
        return ~state;
    }

    public void Dispose()
    {
        foreach (var f in _files) f?.Dispose();
    }
}
