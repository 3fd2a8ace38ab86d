using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Store;

/// <summary>Builds the writer the configuration names.</summary>
public static class StoreWriterFactory
{
    public static StoreWriter Create(StoreConfig config, TimeProvider time) => config.Kind switch
    {
        StoreKind.InfluxDb1 => new InfluxV1Writer(config.Url, config.Database, config.RetentionPolicy, config.Username, config.Password, config.Gzip, config.Timeout, time),
        StoreKind.InfluxDb2 => new InfluxV2Writer(config.Url, config.Org, config.Bucket!, config.Token!, config.Gzip, config.Timeout, time),
        _ => new VictoriaMetricsWriter(config.Url, config.Database, config.Gzip, config.Timeout, time),
    };
}
