using System.CommandLine;
using System.Text;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary><c>gatewayctl sub</c>: subscribe and print messages, like mosquitto_sub (-v topic prefix, -C count, -N no newline).</summary>
internal static class SubCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var topics = new Option<string[]>("--topic", "-t") { Description = "topic filter (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var count = new Option<int?>("--count", "-C") { Description = "exit after this many messages" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "print 'topic payload'" };
        var noNewline = new Option<bool>("--no-newline", "-N") { Description = "do not add a newline after each payload" };
        var noClean = new Option<bool>("--disable-clean-session", "-c") { Description = "persistent session (needs -i)" };
        var sub = new Command("sub", "Subscribe and print MQTT messages (mosquitto_sub's flags)") { topics, count, verbose, noNewline, noClean };
        connection.AddTo(sub);
        sub.SetAction(async (parse, ct) => await MqttRun.RunAsync(error, async () =>
        {
            var options = connection.Build(parse, cleanSession: !parse.GetValue(noClean));
            var client = new MqttClient(options);
                await using var clientScope = client.ConfigureAwait(false);
            await client.ConnectAsync(ct).ConfigureAwait(false);
            foreach (var filter in parse.GetValue(topics)!) await client.SubscribeAsync(filter, connection.GetQos(parse), ct).ConfigureAwait(false);
            if (parse.GetValue(connection.Debug)) error.WriteLine($"Subscribed as {client.ClientId}");
            var limit = parse.GetValue(count);
            var seen = 0;
            var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            await foreach (var m in client.Messages.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (parse.GetValue(verbose)) output.Write($"{m.Topic} ");
                output.Write(Encoding.UTF8.GetString(m.Payload.Span));
                if (!parse.GetValue(noNewline)) output.WriteLine();
                output.Flush();
                if (limit is { } l && ++seen >= l) break;
            }
            await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return sub;
    }
}
