using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    // How long a PINGRESP may take before the connection counts as dead: half the keep alive, at most 10 s, so a dead
    // link is noticed well before the broker's own 1.5 x keep alive timeout ([MQTT-3.1.2-24]) would drop us.
    private static TimeSpan PingTimeout(TimeSpan keepAlive) => TimeSpan.FromTicks(Math.Min(keepAlive.Ticks / 2, TimeSpan.FromSeconds(10).Ticks));

    /// <summary>
    /// [MQTT-3.1.2-23]: the client must send some packet within every keep alive period; when nothing else was sent,
    /// a PINGREQ. No PINGRESP within <see cref="PingTimeout"/> means the connection is dead (section 3.1.2.10).
    /// </summary>
    private async Task KeepAliveLoopAsync(ClientConnection connection)
    {
        // [MQTT-3.2.2-21]: a 5.0 Server Keep Alive replaces ours (ConnectionLimits).
        var keepAlive = connection.Limits.KeepAlive;
        if (keepAlive == TimeSpan.Zero) return;
        var timeout = PingTimeout(keepAlive);
        var ct = connection.Token;
        while (true)
        {
            var idle = connection.SinceLastSent;
            if (idle < keepAlive)
            {
                await Task.Delay(keepAlive - idle, _time, ct).ConfigureAwait(false);
                continue;
            }
            connection.PingOutstanding = true;
            await connection.SendSmallAsync(MqttPacketType.PingReq, 0, ct).ConfigureAwait(false);
            await Task.Delay(timeout, _time, ct).ConfigureAwait(false);
            // A receive loop blocked on a full Messages queue has not read the PINGRESP yet; that is not a dead link.
            if (connection.PingOutstanding && !connection.ReceiveBlocked)
            {
                MqttClientLog.KeepAliveTimeout(_logger, _endpoint, timeout);
                throw new MqttConnectionException($"No PINGRESP from the MQTT broker at {_endpoint} within {timeout.TotalSeconds:0.#} s; reconnecting.");
            }
        }
    }
}
