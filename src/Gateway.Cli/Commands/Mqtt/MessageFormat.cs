using System.Globalization;
using System.Text;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary>
/// sub's <c>-F</c> output format, the subset of mosquitto_sub's (mosquitto_sub(1), "Output format") that our messages
/// carry: %t topic, %p payload, %q QoS, %r retained, %l payload length, %x payload as hex, %I ISO 8601 time received,
/// %U Unix time received, %% a percent sign; \n and \t escapes. An unknown %-code is printed as it is.
/// </summary>
public static class MessageFormat
{
    public static string Render(string template, MqttMessage message, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (i + 1 < template.Length && c is '%' or '\\')
            {
                var code = template[++i];
                text.Append((c, code) switch
                {
                    ('%', 't') => message.Topic,
                    ('%', 'p') => Encoding.UTF8.GetString(message.Payload.Span),
                    ('%', 'q') => ((int)message.Qos).ToString(CultureInfo.InvariantCulture),
                    ('%', 'r') => message.Retain ? "1" : "0",
                    ('%', 'l') => message.Payload.Length.ToString(CultureInfo.InvariantCulture),
                    ('%', 'x') => Convert.ToHexStringLower(message.Payload.Span),
                    ('%', 'I') => received.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                    ('%', 'U') => (received.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
                    ('%', '%') => "%",
                    ('\\', 'n') => "\n",
                    ('\\', 't') => "\t",
                    ('\\', '\\') => "\\",
                    _ => $"{c}{code}",
                });
                continue;
            }
            text.Append(c);
        }
        return text.ToString();
    }
}
