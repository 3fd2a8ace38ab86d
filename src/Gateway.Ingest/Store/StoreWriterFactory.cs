using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Store;

/// <summary>Builds the writer the configuration names.</summary>
public static class StoreWriterFactory
{
    public static StoreWriter Create(StoreConfig config, TimeProvider time)
    {
        StoreWriter writer = config.Kind switch
        {
            StoreKind.InfluxDb1 => new InfluxV1Writer(config.Url, config.Database, config.RetentionPolicy, config.Username, config.Password, config.Gzip, config.Timeout, time)
                { CredentialsSource = DescribeCredentials(config.Username, config.CredentialsFile) },
            StoreKind.InfluxDb2 => new InfluxV2Writer(config.Url, config.Org, config.Bucket!, config.Token!, config.Gzip, config.Timeout, time)
                { CredentialsSource = DescribeCredentials(null, config.CredentialsFile) ?? "its API token" },
            _ => new VictoriaMetricsWriter(config.Url, config.Database, config.Gzip, config.Timeout, time, config.Token, config.Username, config.Password)
                { CredentialsSource = DescribeCredentials(config.Token is null ? config.Username : null, config.CredentialsFile) },
        };
        return writer;
    }

    /// <summary>"user 'ingest' with the password in FILE", "the token in FILE", or null: what a refusal message names (never the secret).</summary>
    public static string? DescribeCredentials(string? username, string? file) => (username, file) switch
    {
        (not null, not null) => $"user '{username}' with the password in {file}",
        (null, not null) => $"the token in {file}",
        (not null, null) => $"user '{username}'",
        _ => null,
    };
}
