using System.Text;
using Gateway.TestKit.Servers;

namespace Gateway.Mqtt.Tests.Session;

internal static class BrokerTestHelpers
{
    public static MqttClientOptions Options(MosquittoServer server, string clientId, bool cleanSession = true, bool manualAck = false, MqttWill? will = null) => new()
    {
        Host = server.Host,
        Port = server.Port,
        ClientId = clientId,
        CleanSession = cleanSession,
        ManualAck = manualAck,
        Will = will,
        KeepAlive = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    public static async Task<MqttClient> ConnectedAsync(MqttClientOptions options, CancellationToken ct)
    {
        var client = new MqttClient(options);
        await client.ConnectAsync(ct);
        return client;
    }

    public static string Text(MqttMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static CancellationTokenSource Timeout(int seconds = 20) => new(TimeSpan.FromSeconds(seconds));

    public static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition()) await Task.Delay(20, ct);
    }
}
