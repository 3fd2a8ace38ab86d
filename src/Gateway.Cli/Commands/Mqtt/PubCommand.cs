using System.CommandLine;
using System.Text;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary><c>gatewayctl pub</c>: publish one message (-m, -f, -s, -n) or one message per stdin line (-l), like mosquitto_pub.</summary>
internal static class PubCommand
{
    // Publishes awaited in order while up to this many are pending (the client's own window bounds what is in flight).
    // With one 64 KiB read of short lines on top it stays under the client's MaxPendingPublishes (ConnectionOptions).
    internal const int Pipeline = 2048;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var topic = new Option<string>("--topic", "-t") { Description = "topic to publish to", Required = true };
        var message = new Option<string?>("--message", "-m") { Description = "message payload" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "send the whole file as one message" };
        var lines = new Option<bool>("--stdin-line", "-l") { Description = "one message per line of stdin (empty lines are skipped)" };
        var nullMessage = new Option<bool>("--null-message", "-n") { Description = "send an empty message" };
        var stdinFile = new Option<bool>("--stdin-file", "-s") { Description = "send the whole of stdin as one message" };
        var retain = new Option<bool>("--retain", "-r") { Description = "retain the message" };
        var pub = new Command("pub", "Publish MQTT messages (mosquitto_pub's flags)") { topic, message, file, lines, nullMessage, stdinFile, retain };
        connection.AddTo(pub);
        pub.SetAction(async (parse, ct) =>
        {
            var sources = (parse.GetValue(message) is null ? 0 : 1) + (parse.GetValue(file) is null ? 0 : 1) + (parse.GetValue(lines) ? 1 : 0) + (parse.GetValue(nullMessage) ? 1 : 0) + (parse.GetValue(stdinFile) ? 1 : 0);
            if (sources != 1)
            {
                error.WriteLine("Error: give exactly one of -m MESSAGE, -f FILE, -s (all of stdin), -l (stdin lines) or -n (empty message).");
                return 1;
            }
            return await MqttRun.RunAsync(error, async () =>
            {
                var options = connection.Build(parse);
                var qos = connection.GetQos(parse);
                var t = parse.GetValue(topic)!;
                var r = parse.GetValue(retain);
                var client = new MqttClient(options);
                await using var clientScope = client.ConfigureAwait(false);
                await client.ConnectAsync(ct).ConfigureAwait(false);
                if (parse.GetValue(connection.Debug)) error.WriteLine($"Connected to {options.Host}:{options.Port} as {client.ClientId} ({options.ProtocolVersion})");
                long count;
                if (parse.GetValue(lines)) count = await PublishLinesAsync(client, t, qos, r, Console.OpenStandardInput(), ct).ConfigureAwait(false);
                else
                {
                    var payload = parse.GetValue(file) is { } f ? await File.ReadAllBytesAsync(f.FullName, ct).ConfigureAwait(false)
                        : parse.GetValue(stdinFile) ? await ReadAllAsync(Console.OpenStandardInput(), ct).ConfigureAwait(false)
                        : parse.GetValue(nullMessage) ? [] : Encoding.UTF8.GetBytes(parse.GetValue(message)!);
                    await client.PublishAsync(t, payload, qos, r, ct).ConfigureAwait(false);
                    count = 1;
                }
                await client.DisconnectAsync(ct).ConfigureAwait(false);
                if (parse.GetValue(connection.Debug)) error.WriteLine($"Published {count} messages.");
            }).ConfigureAwait(false);
        });
        return pub;
    }

    /// <summary>Reads a stream to its end (pub -s: the whole of stdin is one message, as mosquitto_pub's -s).</summary>
    internal static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken ct)
    {
        using var all = new MemoryStream();
        await input.CopyToAsync(all, ct).ConfigureAwait(false);
        return all.ToArray();
    }

    /// <summary>Reads stdin as bytes and publishes each line (without its newline), keeping many publishes pending.</summary>
    internal static async Task<long> PublishLinesAsync(MqttClient client, string topic, MqttQos qos, bool retain, Stream input, CancellationToken ct)
    {
        // ValueTasks, not Tasks: the client's publish completions are pooled, so a pending publish allocates nothing.
        var pending = new Queue<ValueTask>();
        var buffer = new byte[64 * 1024];
        var filled = 0;
        long count = 0;
        while (true)
        {
            var n = await input.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            var end = filled + n;
            var start = 0;
            for (var i = filled; i < end; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                count += Publish(buffer.AsMemory(start, i - start));
                start = i + 1;
            }
            if (n == 0)
            {
                if (end > start) count += Publish(buffer.AsMemory(start, end - start));
                break;
            }
            // Keep the unfinished line; grow when one line fills the buffer.
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            filled = end - start;
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            while (pending.Count > Pipeline) await pending.Dequeue().ConfigureAwait(false);
        }
        while (pending.Count > 0) await pending.Dequeue().ConfigureAwait(false);
        return count;

        int Publish(ReadOnlyMemory<byte> line)
        {
            if (line.Length > 0 && line.Span[^1] == (byte)'\r') line = line[..^1];
            if (line.Length == 0) return 0;
            // PublishAsync copies the payload before it returns, so the read buffer can be reused at once.
            var task = client.PublishAsync(topic, line, qos, retain, ct);
            if (!task.IsCompletedSuccessfully) pending.Enqueue(task);
            else task.GetAwaiter().GetResult();
            return 1;
        }
    }
}
