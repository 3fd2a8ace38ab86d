namespace Gateway.Ingest;

/// <summary>
/// The ingest's settings: <c>gateway-ingest [--broker HOST:PORT] [--influx URL] [--database NAME] [--client-id ID]</c>,
/// each also from an environment variable, with the defaults a user would expect on one machine.
/// </summary>
public sealed record IngestOptions(string BrokerHost, int BrokerPort, Uri InfluxUrl, string Database, string ClientId)
{
    public const string Usage = """
        usage: gateway-ingest [--broker HOST:PORT] [--influx URL] [--database NAME] [--client-id ID]

          --broker HOST:PORT   MQTT broker (env INGEST_BROKER; default 127.0.0.1:1883)
          --influx URL         InfluxDB base URL (env INGEST_INFLUX_URL; default http://127.0.0.1:8086)
          --database NAME      InfluxDB database (env INGEST_DATABASE; default fleet)
          --client-id ID       MQTT client id (env INGEST_CLIENT_ID; default ingest-<host name>)
        """;

    public static IngestOptions? Parse(IReadOnlyList<string> args, Func<string, string?> env, out string? error)
    {
        error = null;
        var values = new Dictionary<string, string?>
        {
            ["--broker"] = env("INGEST_BROKER") ?? "127.0.0.1:1883",
            ["--influx"] = env("INGEST_INFLUX_URL") ?? "http://127.0.0.1:8086",
            ["--database"] = env("INGEST_DATABASE") ?? "fleet",
            ["--client-id"] = env("INGEST_CLIENT_ID") ?? $"ingest-{Environment.MachineName.ToLowerInvariant()}",
        };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-h" or "--help") { error = ""; return null; }
            if (!values.ContainsKey(args[i])) { error = $"unknown argument '{args[i]}'"; return null; }
            if (i + 1 >= args.Count) { error = $"{args[i]} needs a value"; return null; }
            values[args[i]] = args[++i];
        }
        var broker = values["--broker"]!;
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            error = $"--broker must be HOST:PORT; got '{broker}'";
            return null;
        }
        if (!Uri.TryCreate(values["--influx"], UriKind.Absolute, out var influx) || influx.Scheme is not ("http" or "https"))
        {
            error = $"--influx must be an http(s) URL such as http://127.0.0.1:8086; got '{values["--influx"]}'";
            return null;
        }
        if (!influx.AbsolutePath.EndsWith('/')) influx = new Uri(influx.AbsoluteUri + "/");
        return new IngestOptions(broker[..colon], port, influx, values["--database"]!, values["--client-id"]!);
    }
}
