using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>Issue 12 item 14: a broker that stays away costs one warn line per attempt, the stack trace only at debug.</summary>
public sealed class MqttClientReconnectLogTests
{
    [Fact]
    public async Task EachFailedAttempt_LogsOneWarnLineWithoutTrace_TheTraceAtDebug()
    {
        var logger = new RecordingLogger<MqttClient>();
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = FreePort.Next(), // nobody listens
            ClientId = "reconnect-log",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(10),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(20),
        }, logger);
        client.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (logger.Lines.Count(l => l.Level == LogLevel.Warning) < 3) await Task.Delay(20, cts.Token);

        var lines = logger.Entries;
        var warnings = lines.Where(l => l.Level == LogLevel.Warning).ToList();
        Assert.All(warnings, w => Assert.Null(w.Exception));
        Assert.All(warnings, w => Assert.DoesNotContain('\n', w.Message));
        Assert.All(warnings, w => Assert.Contains("failed (attempt", w.Message, StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.Level == LogLevel.Debug && l.Exception is not null) >= warnings.Count - 1);
    }
}
