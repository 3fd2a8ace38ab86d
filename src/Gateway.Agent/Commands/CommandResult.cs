using System.Text.Json;
using Gateway.Core.Text;

namespace Gateway.Agent.Commands;

/// <summary>
/// What a command produced: success with a result object written by <see cref="Write"/>, or a refusal with a message
/// that says what to do next. <see cref="AfterReply"/> runs once the reply is on its way (restart: the operator hears
/// "restarting" before the connection goes).
/// </summary>
public sealed record CommandResult(bool Ok, string? Error, Action<Utf8JsonWriter>? Write, Action? AfterReply = null)
{
    public static CommandResult Success(Action<Utf8JsonWriter> write, Action? afterReply = null) => new(true, null, write, afterReply);

    public static CommandResult Refused(string error) => new(false, error, null);

    /// <summary>The reply payload: <c>{"gateway":..,"command":..,"ok":true,"result":{..}}</c> or <c>{..,"ok":false,"error":".."}</c>.</summary>
    public byte[] ToJson(string gatewayId, string command)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        // Replies are read by people (gatewayctl cmd, the dashboard): "can't" stays "can't", not "can\u0027t".
        using (var w = new Utf8JsonWriter(buffer, ReadableJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("gateway", gatewayId);
            w.WriteString("command", command);
            w.WriteBoolean("ok", Ok);
            if (Ok)
            {
                w.WriteStartObject("result");
                Write?.Invoke(w);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("error", Error);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
