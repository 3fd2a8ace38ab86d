using System.Net.Http;
using System.Text;
using Gateway.Mqtt;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>Small helpers: a publisher that sends counter batches like a gateway, and a /metrics reader.</summary>
public static class Fleet
{
    public static async Task<MqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = clientId });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(cts.Token);
        return client;
    }

    /// <summary>Publishes <paramref name="messages"/> messages of <paramref name="linesPerMessage"/> counter points (seq from 1) for a gateway.</summary>
    public static async Task PublishCountersAsync(MqttClient client, string gateway, int messages, int linesPerMessage, long baseTimestamp)
    {
        var seq = 0L;
        var pending = new List<Task>();
        for (var m = 0; m < messages; m++)
        {
            var text = new StringBuilder();
            for (var l = 0; l < linesPerMessage; l++)
            {
                seq++;
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"counter,sensor=seq seq={seq}i {baseTimestamp + seq}\n");
            }
            pending.Add(client.PublishAsync($"fleet/{gateway}/telemetry", Encoding.UTF8.GetBytes(text.ToString())).AsTask());
        }
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>One value from a /metrics page (Prometheus text), or null when the page or the metric is not there.</summary>
    public static async Task<double?> MetricAsync(HttpClient http, Uri baseUrl, string name)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri(baseUrl, "metrics"));
            foreach (var line in text.Split('\n'))
                if (line.StartsWith(name + " ", StringComparison.Ordinal))
                    return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not reached in {timeout.TotalSeconds:0} s: {explain()}");
            await Task.Delay(200);
        }
    }
}
