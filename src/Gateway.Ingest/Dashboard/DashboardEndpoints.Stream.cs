using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Monitoring;
using Microsoft.AspNetCore.Http;

namespace Gateway.Ingest.Dashboard;

// Live updates: server-sent events (WHATWG HTML §9.2). "gateways" and "assets" carry a JSON array of what changed since
// the last push (each item as /api/gateways and /api/assets return it), "alerts" the whole alert list, "reset" asks the
// page to reload everything; a comment line every 15 s keeps proxies from closing an idle stream. One push a second at
// most, written as one buffer: with 1,000 gateways and 10,000 tags reporting, a stream costs the server one scan of the
// fleet and one serialisation of each changed item per second (deploy/bench/dashboard.sh measures it).
public static partial class DashboardEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MinPushInterval = TimeSpan.FromSeconds(1);

    private static async Task StreamAsync(HttpContext context, LiveHub hub, FleetState fleet, AlertEngine alerts)
    {
        // RequireLogin let the request in, so the cookie holds a live session; its token identifies the session.
        using var subscriber = hub.Subscribe(context.Request.Cookies[SessionCookie] ?? "", out var refusal);
        if (subscriber is null)
        {
            // EventSource does not retry after an error status (WHATWG HTML §9.2.3), so the page says so and retries later.
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.Response.WriteAsync(refusal + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var ct = context.RequestAborted;
        // From the fleet version the page's load was taken at (?since=, the X-Fleet-Version of /api/gateways and
        // /api/assets): what changed between that load and this stream comes in the first push, not lost.
        var now = fleet.Version;
        var since = long.TryParse(context.Request.Query["since"], CultureInfo.InvariantCulture, out var asked) && asked >= 0 && asked <= now ? asked : now;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            Event(buffer, "hello", Array.Empty<int>());
            await response.Body.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                var change = await subscriber.TakeAsync(Heartbeat, ct).ConfigureAwait(false);
                buffer.ResetWrittenCount();
                if (change == LiveChange.None) buffer.Write(": keep-alive\n\n"u8);
                if (change.HasFlag(LiveChange.Reset))
                {
                    since = fleet.Version;
                    Event(buffer, "reset", Array.Empty<int>());
                }
                else if (change.HasFlag(LiveChange.Fleet))
                {
                    var (gateways, assets, version) = fleet.ChangedSince(since);
                    since = version;
                    if (gateways.Count > 0) Event(buffer, "gateways", gateways);
                    if (assets.Count > 0) Event(buffer, "assets", assets);
                }
                if (change.HasFlag(LiveChange.Alerts)) Event(buffer, "alerts", alerts.List());
                await response.Body.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
                await response.Body.FlushAsync(ct).ConfigureAwait(false);
                await Task.Delay(MinPushInterval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
    }

    /// <summary>One event into <paramref name="buffer"/>: JSON from System.Text.Json has no raw newlines, so one data line is valid SSE.</summary>
    private static void Event<T>(ArrayBufferWriter<byte> buffer, string name, T data)
    {
        buffer.Write("event: "u8);
        Encoding.UTF8.GetBytes(name, buffer);
        buffer.Write("\ndata: "u8);
        using (var json = new Utf8JsonWriter(buffer)) JsonSerializer.Serialize(json, data, Json);
        buffer.Write("\n\n"u8);
    }
}
