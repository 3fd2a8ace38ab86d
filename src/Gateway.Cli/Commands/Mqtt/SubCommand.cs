using System.CommandLine;
using System.Text;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary>
/// <c>gatewayctl sub</c>: subscribe and print messages, like mosquitto_sub (-v topic prefix, -C count, -N no newline,
/// -W timeout, -R no stale retained messages, -F output format).
/// </summary>
internal static class SubCommand
{
    /// <summary>Exit code when -W ran out before -C messages came (as cmd's "no reply in time").</summary>
    public const int ExitTimeout = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var topics = new Option<string[]>("--topic", "-t") { Description = "topic filter (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var count = new Option<int?>("--count", "-C") { Description = "exit after this many messages" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "print 'topic payload'" };
        var noNewline = new Option<bool>("--no-newline", "-N") { Description = "do not add a newline after each payload" };
        var noClean = new Option<bool>("--disable-clean-session", "-c") { Description = "persistent session (needs -i)" };
        var timeout = new Option<int?>("--timeout", "-W") { Description = "stop after this many seconds (exit 2 if -C was not reached)" };
        var noRetained = new Option<bool>("--no-retained", "-R") { Description = "do not print stale (retained) messages, only ones published while subscribed" };
        var format = new Option<string?>("--format", "-F") { Description = "print each message with this format: %t topic, %p payload, %q QoS, %r retained (0/1), %l length, %x payload as hex, %I ISO time received, %U Unix time, %% a %; \\n \\t" };
        var sub = new Command("sub", "Subscribe and print MQTT messages (mosquitto_sub's flags)") { topics, count, verbose, noNewline, noClean, timeout, noRetained, format };
        connection.AddTo(sub);
        sub.SetAction(async (parse, ct) =>
        {
            var timedOut = false;
            var run = await MqttRun.RunAsync(error, async () =>
            {
                var options = connection.Build(parse, cleanSession: !parse.GetValue(noClean));
                var seconds = parse.GetValue(timeout);
                if (seconds is < 1 or > 86400) throw new ArgumentException($"-W {seconds}: give 1-86400 seconds.");
                var template = parse.GetValue(format);
                var client = new MqttClient(options);
                await using var clientScope = client.ConfigureAwait(false);
                using var deadline = seconds is { } s ? new CancellationTokenSource(TimeSpan.FromSeconds(s)) : new CancellationTokenSource();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
                try
                {
                    await client.ConnectAsync(linked.Token).ConfigureAwait(false);
                    foreach (var filter in parse.GetValue(topics)!) await client.SubscribeAsync(filter, connection.GetQos(parse), linked.Token).ConfigureAwait(false);
                    if (parse.GetValue(connection.Debug)) error.WriteLine($"Subscribed as {client.ClientId}");
                    var limit = parse.GetValue(count);
                    var seen = 0;
                    await foreach (var m in client.Messages.ReadAllAsync(linked.Token).ConfigureAwait(false))
                    {
                        // A retained message arrives with the retain flag only when it was stored before we subscribed [MQTT-3.3.1-8, -9].
                        if (m.Retain && parse.GetValue(noRetained)) continue;
                        if (template is not null) output.Write(MessageFormat.Render(template, m, DateTimeOffset.UtcNow));
                        else
                        {
                            if (parse.GetValue(verbose)) output.Write($"{m.Topic} ");
                            output.Write(Encoding.UTF8.GetString(m.Payload.Span));
                        }
                        if (!parse.GetValue(noNewline)) output.WriteLine();
                        output.Flush();
                        if (limit is { } l && ++seen >= l) break;
                    }
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    timedOut = parse.GetValue(count) is not null;
                }
                await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return run != 0 ? run : timedOut ? ExitTimeout : 0;
        });
        return sub;
    }
}
