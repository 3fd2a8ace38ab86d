namespace Gateway.Ingest.Store;

/// <summary>
/// VictoriaMetrics' InfluxDB line-protocol endpoint (<c>/write</c>, <c>precision=ms</c>). VictoriaMetrics stores
/// numeric and boolean fields as series <c>{measurement}_{field}</c> and ignores string fields (an event's message);
/// the <c>db</c> argument becomes a <c>db</c> label so several fleets can share one instance.
/// </summary>
public sealed class VictoriaMetricsWriter : StoreWriter
{
    public VictoriaMetricsWriter(Uri baseUrl, string database, bool gzip = true, TimeSpan? timeout = null, TimeProvider? time = null)
        : base(baseUrl, gzip, timeout ?? TimeSpan.FromSeconds(30), time)
    {
        WriteUri = new Uri(baseUrl, $"write?db={Uri.EscapeDataString(database)}&precision=ms");
    }

    public override string Describe => $"VictoriaMetrics at {BaseUrl}";

    protected override Uri WriteUri { get; }
}
