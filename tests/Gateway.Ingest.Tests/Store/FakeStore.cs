using System.Text;
using Gateway.Ingest.Store;

namespace Gateway.Ingest.Tests.Store;

/// <summary>A store below the HTTP layer: <paramref name="answer"/> decides each write (and may throw, like a bug would).</summary>
internal sealed class FakeStore(Func<List<string>, StoreWriteResult> answer) : StoreWriter(new Uri("http://fake/"), false, TimeSpan.FromSeconds(1), null)
{
    public List<string> Stored { get; } = [];
    public override string Describe => "fake store";
    protected override Uri WriteUri => new("http://fake/write");

    public override Task<StoreWriteResult> WriteAsync(StoreBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var list = Encoding.UTF8.GetString(body.Lines.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var result = answer(list);
        if (result.Outcome == StoreWriteOutcome.Written) lock (Stored) Stored.AddRange(list);
        return Task.FromResult(result);
    }
}
