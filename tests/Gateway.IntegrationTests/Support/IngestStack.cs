using Gateway.Ingest;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Support;

/// <summary>
/// The central side most end-to-end tests start first: a mosquitto, an InfluxDB holding <see cref="Database"/>, and the
/// ingest running in-process between them. Agents start on <see cref="Runner"/>. Disposal stops the in-process hosts,
/// then the store, then the broker: the reverse of the start.
/// </summary>
public sealed class IngestStack : IAsyncDisposable
{
    public const string Database = "fleet";

    private IngestStack(MosquittoServer broker, InfluxServer influx, StackRunner runner, IngestWorker ingest) =>
        (Broker, Influx, Runner, Ingest) = (broker, influx, runner, ingest);

    public MosquittoServer Broker { get; }
    public InfluxServer Influx { get; }
    public StackRunner Runner { get; }
    public IngestWorker Ingest { get; }

    /// <param name="clientId">The ingest's MQTT client id.</param>
    /// <param name="shareGroup">"none" (a plain persistent subscription) unless the test is about shared subscriptions.</param>
    public static async Task<IngestStack> StartAsync(string clientId = "test-ingest", string shareGroup = "none")
    {
        var broker = await MosquittoServer.StartAsync();
        InfluxServer? influx = null;
        StackRunner? runner = null;
        try
        {
            influx = await InfluxServer.StartAsync();
            await influx.CreateDatabaseAsync(Database);
            runner = new StackRunner();
            var ingest = await runner.StartIngestAsync(broker.Port, influx.Url, Database, clientId, shareGroup);
            return new IngestStack(broker, influx, runner, ingest);
        }
        catch
        {
            if (runner is not null) await runner.DisposeAsync();
            if (influx is not null) await influx.DisposeAsync();
            await broker.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Influx.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
