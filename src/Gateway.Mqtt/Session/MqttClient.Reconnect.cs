using Gateway.Core.Timing;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Keeps the client connected until stopped: waits for the current connection to end, then reconnects with
    /// exponential backoff (ReconnectMinDelay doubling up to ReconnectMaxDelay, with "equal jitter", a random 50-100 %, so a fleet that
    /// lost the same broker does not come back in lock-step; <see cref="Backoff"/>). The backoff restarts after every successful connection.
    /// </summary>
    private async Task SuperviseAsync(ClientConnection? connection, CancellationToken stop)
    {
        var backoff = new Backoff(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, jitter: 0.5);
        while (true)
        {
            if (connection is null)
            {
                try
                {
                    connection = await ConnectOnceAsync(stop).ConfigureAwait(false);
                    backoff.Reset();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is MqttException or ArgumentException)
                {
                    var delay = backoff.Next();
                    MqttClientLog.ConnectFailed(_logger, _endpoint, backoff.Failures, ex.Message, delay);
                    MqttClientLog.ConnectFailedTrace(_logger, ex, backoff.Failures, _endpoint);
                    Raise(ConnectFailed, new MqttConnectFailedEventArgs(ex, backoff.Failures), nameof(ConnectFailed));
                    if (!await DelayAsync(delay, stop).ConfigureAwait(false)) return;
                    continue;
                }
            }

            await WaitClosedAsync(connection, stop).ConfigureAwait(false);
            CloseConnection(connection, null);
            await connection.Completion.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            connection = null;
            if (stop.IsCancellationRequested) return;
            // A short pause even after a good connection: a broker that accepts and then drops at once must not be
            // hammered in a tight loop.
            var pause = backoff.Next();
            backoff.Reset();
            if (!await DelayAsync(pause, stop).ConfigureAwait(false)) return;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitClosedAsync(ClientConnection connection, CancellationToken stop)
    {
        // Any loop that ends closes the connection, so the loops' completion is the connection's end.
        try
        {
            await connection.Completion.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the caller closes the connection.
        }
    }
}
