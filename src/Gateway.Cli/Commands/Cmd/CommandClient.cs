using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Cmd;

/// <summary>How one command ended: the gateway's reply, or why there is none.</summary>
public enum CommandOutcome
{
    /// <summary>The gateway answered <c>"ok": true</c>.</summary>
    Done,

    /// <summary>The gateway answered <c>"ok": false</c> (unknown command, bad arguments, not supported).</summary>
    Refused,

    /// <summary>The broker refused the publish (PUBACK 0x87: the certificate is not an operator's).</summary>
    NotAuthorized,

    /// <summary>No reply in time: the gateway is offline, or not answering commands.</summary>
    Timeout,
}

public sealed record CommandResponse(CommandOutcome Outcome, string Text);

/// <summary>
/// Sends one downlink command as an MQTT 5 request (DESIGN §4.3) on <c>cmd/{gateway}/{name}</c>: a reply topic of our own under
/// <c>fleet/{gateway}/reply/{operator}/</c> (where the broker's ACL lets the gateway write and this operator read),
/// random correlation data [MQTT-4.10.0], subscribe first so the reply cannot be missed, then publish at QoS 1.
/// </summary>
public static class CommandClient
{
    public static async Task<CommandResponse> SendAsync(MqttClientOptions options, string gateway, string name, byte[] arguments, TimeSpan timeout,
        TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var operatorName = OperatorName(options);
        var correlation = RandomNumberGenerator.GetBytes(16);
        var replyTopic = $"fleet/{gateway}/reply/{operatorName}/{Convert.ToHexStringLower(correlation)}";
        var client = new MqttClient(options);
        await using var scope = client.ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await client.ConnectAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await client.SubscribeAsync(replyTopic, MqttQos.AtLeastOnce, linked.Token).ConfigureAwait(false);
            }
            catch (MqttSubscribeException ex) when (ex.ReasonCode == MqttReasonCode.NotAuthorized)
            {
                return new(CommandOutcome.NotAuthorized, $"the broker refused to let {operatorName} read replies on {replyTopic} (0x87 not authorized): commands need an operator certificate (gatewayctl cert issue NAME --role operator)");
            }
            try
            {
                await client.PublishAsync(new MqttApplicationMessage($"cmd/{gateway}/{name}", arguments)
                {
                    ResponseTopic = replyTopic,
                    CorrelationData = correlation,
                    ContentType = "application/json",
                    // A command that waited for an offline gateway for an hour is stale: let the broker drop it.
                    MessageExpiryInterval = timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout,
                }, linked.Token).ConfigureAwait(false);
            }
            catch (MqttPublishException ex) when (ex.ReasonCode == MqttReasonCode.NotAuthorized)
            {
                return new(CommandOutcome.NotAuthorized,
                    $"the broker refused the command (0x87 not authorized): only operator certificates may write cmd/{gateway}/{name} (issue one with gatewayctl cert issue NAME --role operator)");
            }
            await foreach (var reply in client.Messages.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                if (reply.Topic != replyTopic || reply.CorrelationData is not { } c || !c.Span.SequenceEqual(correlation)) continue;
                var text = System.Text.Encoding.UTF8.GetString(reply.Payload.Span);
                await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
                return new(IsOk(reply.Payload) ? CommandOutcome.Done : CommandOutcome.Refused, text);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
        }
        return new(CommandOutcome.Timeout, client.IsConnected
            ? $"no reply from {gateway} within {timeout.TotalSeconds:0.#} s: is it online (its retained fleet/{gateway}/status) and answering commands (broker.commands in its profile)?"
            : $"could not reach the broker {options.Host}:{options.Port} within {timeout.TotalSeconds:0.#} s");
    }

    /// <summary>The agent's reply is <c>{"gateway":..,"command":..,"ok":true|false,...}</c>; anything else is not a success.</summary>
    public static bool IsOk(ReadOnlyMemory<byte> reply)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(reply);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == System.Text.Json.JsonValueKind.True;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The operator's name is the CN of the client certificate (the broker's user name); without one, "operator".</summary>
    public static string OperatorName(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tls?.CertificateFile is not { } file) return "operator";
        try
        {
            using var cert = X509CertificateLoader.LoadCertificateFromFile(file);
            return cert.GetNameInfo(X509NameType.SimpleName, false);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"--cert {file}: not a certificate ({ex.Message}); pass the PEM from gatewayctl cert issue", ex);
        }
    }
}
