using Gateway.Mqtt;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Ingest;

/// <summary>
/// Connection failures of the central service's MQTT clients where the broker refused our TLS certificate at run time
/// (revoked: the broker's CRL lists it; expired while running). The client retries with backoff and logs each attempt;
/// this logs one error per kind and episode that says what to do, and counts every refusal
/// (<c>ingest_broker_tls_refusals_total</c>). A successful connection ends the episode.
/// </summary>
public sealed partial class BrokerRefusals
{
    private readonly OncePerKind _logged = new();
    private readonly ILogger _logger;
    private readonly string _certificate;
    private readonly AtomicCounter _count = new();

    public BrokerRefusals(MqttClient client, string? certificateFile, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _logger = logger;
        _certificate = certificateFile ?? "(none)";
        client.ConnectFailed += (_, e) => OnFailed(e.Error);
        client.Connected += (_, _) =>
        {
            _logged.Clear("revoked");
            _logged.Clear("expired");
        };
    }

    /// <summary>Connection attempts the broker refused because of our certificate.</summary>
    public long Count => _count.Value;

    /// <summary>"revoked" or "expired" when the broker refused our certificate for that reason (its TLS alert), else null.</summary>
    public static string? Classify(Exception error)
    {
        // OpenSSL reports the broker's alert as "sslv3 alert certificate revoked/expired" (RFC 5246 §7.2.2: 44, 45).
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("certificate revoked", StringComparison.OrdinalIgnoreCase)) return "revoked";
            if (e.Message.Contains("certificate expired", StringComparison.OrdinalIgnoreCase)) return "expired";
        }
        return null;
    }

    private void OnFailed(Exception error)
    {
        if (Classify(error) is not { } kind) return;
        _count.Increment();
        if (_logged.First(kind)) LogRefused(_logger, kind, _certificate);
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Error, Message = "The broker refuses this service's certificate {Certificate}: it is {Kind}. Issue a new one (gatewayctl cert issue NAME --role ingest), point broker.tls at it and restart; retrying meanwhile (counted in ingest_broker_tls_refusals_total; logged once)")]
    private static partial void LogRefused(ILogger logger, string kind, string certificate);
}
