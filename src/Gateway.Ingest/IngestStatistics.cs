namespace Gateway.Ingest;

/// <summary>The ingest's counters (thread-safe). Every message or line the ingest does not store is counted here.</summary>
public sealed class IngestStatistics
{
    private long _messages;
    private long _pointsWritten;
    private long _malformedLines;
    private long _missingTimestamp;
    private long _undecodablePayloads;
    private long _foreignTopics;
    private long _rejectedByStore;
    private long _storeRetries;

    public long Messages => Interlocked.Read(ref _messages);
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);
    public long MalformedLines => Interlocked.Read(ref _malformedLines);
    public long MissingTimestamp => Interlocked.Read(ref _missingTimestamp);
    public long UndecodablePayloads => Interlocked.Read(ref _undecodablePayloads);
    public long ForeignTopics => Interlocked.Read(ref _foreignTopics);
    public long RejectedByStore => Interlocked.Read(ref _rejectedByStore);
    public long StoreRetries => Interlocked.Read(ref _storeRetries);

    internal void Message() => Interlocked.Increment(ref _messages);
    internal void Written(int points) => Interlocked.Add(ref _pointsWritten, points);
    internal void Malformed(int lines) => Interlocked.Add(ref _malformedLines, lines);
    internal void NoTimestamp(int lines) => Interlocked.Add(ref _missingTimestamp, lines);
    internal void Undecodable() => Interlocked.Increment(ref _undecodablePayloads);
    internal void ForeignTopic() => Interlocked.Increment(ref _foreignTopics);
    internal void Rejected(int points) => Interlocked.Add(ref _rejectedByStore, points);
    internal void Retry() => Interlocked.Increment(ref _storeRetries);

    public override string ToString() =>
        $"messages={Messages} points_written={PointsWritten} malformed_lines={MalformedLines} missing_timestamp={MissingTimestamp} " +
        $"undecodable_payloads={UndecodablePayloads} foreign_topics={ForeignTopics} rejected_by_store={RejectedByStore} store_retries={StoreRetries}";
}
