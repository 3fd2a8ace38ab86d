using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary>Maps failures to one line on stderr and exit code 1 (refused connection, not authorized, bad certificate, bad flag).</summary>
internal static class MqttRun
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex) when (ex is MqttException or ArgumentException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            error.WriteLine($"Error: {ex.Message}");
            return 1;
        }
    }
}
