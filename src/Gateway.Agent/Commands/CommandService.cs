using Gateway.Agent.Profiles;
using Gateway.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Commands;

/// <summary>
/// Answers downlink commands (DESIGN §4.3, §4.5): subscribes to <c>cmd/{gateway}/+</c> at QoS 1 on the agent's
/// own connection (the client re-subscribes after a reconnect), runs one command at a time, and publishes the reply
/// to the request's MQTT 5 response topic with its correlation data [MQTT-4.10]. Who may send commands is the
/// broker's business: its ACL lets only operator certificates write <c>cmd/</c> (gatewayctl broker config).
/// </summary>
public sealed partial class CommandService(AgentWorker worker, GatewayProfile profile, IAgentControl agent, ILogger<CommandService> logger)
    : BackgroundService
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!profile.Broker.Commands) return;
        var client = worker.Client;
        var filter = CommandRequest.Filter(profile.GatewayId);
        var executor = new CommandExecutor(agent);
        try
        {
            await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, stoppingToken).ConfigureAwait(false);
            LogListening(logger, filter);
            await foreach (var message in client.Messages.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await HandleAsync(client, executor, message, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (MqttSubscribeException ex)
        {
            LogSubscribeRefused(logger, filter, ex.Message);
        }
    }

    private async Task HandleAsync(MqttClient client, CommandExecutor executor, MqttMessage message, CancellationToken ct)
    {
        if (!CommandRequest.TryParse(profile.GatewayId, message.Topic, message.Payload.Span, message.ResponseTopic, message.CorrelationData,
                out var request, out var refusal))
        {
            LogUnanswerable(logger, CommandRequest.Shorten(message.Topic), refusal!);
            return;
        }
        var name = request?.Name ?? CommandRequest.Shorten(message.Topic[(message.Topic.LastIndexOf('/') + 1)..]);
        var result = request is null ? CommandResult.Refused(refusal!) : executor.Execute(request);
        if (result.Ok) LogExecuted(logger, name);
        else LogRefused(logger, name, result.Error!);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            await client.PublishAsync(new MqttApplicationMessage(message.ResponseTopic!, result.ToJson(profile.GatewayId, name))
            {
                ContentType = "application/json",
                PayloadFormat = MqttPayloadFormat.Utf8,
                CorrelationData = message.CorrelationData,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            LogReplyFailed(logger, name, ex.Message);
        }
        result.AfterReply?.Invoke();
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private static partial void LogListening(ILogger logger, string filter);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Error, Message = "The broker refused the command subscription {Filter}: {Reason}; check the ACL (gatewayctl broker config lets a gateway read cmd/ID/+)")]
    private static partial void LogSubscribeRefused(ILogger logger, string filter, string reason);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Ignored a command on {Topic}: {Reason}")]
    private static partial void LogUnanswerable(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "Command {Name} executed")]
    private static partial void LogExecuted(ILogger logger, string name);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Warning, Message = "Command {Name} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "Could not send the reply to command {Name}: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, string name, string reason);
}
