using System.Text;
using System.Text.Json;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Monitoring;
using Microsoft.AspNetCore.Http;

namespace Gateway.Ingest.Dashboard;

// Live updates: server-sent events (WHATWG HTML §9.2). One event per changed gateway or asset ("gateway", "asset"),
// the whole alert list on "alerts", "reset" when the page should reload everything; a comment line every 15 s keeps
// proxies from closing an idle stream. Changes are coalesced and pushed at most twice a second.
public static partial class DashboardEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MinPushInterval = TimeSpan.FromMilliseconds(500);

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
        try
        {
            await WriteAsync(response, "hello", "{}", ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                var (reset, keys) = await subscriber.TakeAsync(Heartbeat, ct).ConfigureAwait(false);
                if (reset || keys.Contains("reset")) await WriteAsync(response, "reset", "{}", ct).ConfigureAwait(false);
                else if (keys.Count == 0) await response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                foreach (var key in keys)
                {
                    if (key == "alerts") await WriteAsync(response, "alerts", JsonSerializer.Serialize(alerts.List(), Json), ct).ConfigureAwait(false);
                    else if (key.StartsWith("gateway/", StringComparison.Ordinal) && fleet.GatewayById(key[8..]) is { } g)
                        await WriteAsync(response, "gateway", JsonSerializer.Serialize(g, Json), ct).ConfigureAwait(false);
                    else if (key.StartsWith("asset/", StringComparison.Ordinal) && fleet.AssetByTag(key[6..]) is { } a)
                        await WriteAsync(response, "asset", JsonSerializer.Serialize(a, Json), ct).ConfigureAwait(false);
                }
                await response.Body.FlushAsync(ct).ConfigureAwait(false);
                await Task.Delay(MinPushInterval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
    }

    private static Task WriteAsync(HttpResponse response, string name, string json, CancellationToken ct) =>
        // JSON from System.Text.Json has no raw newlines, so one data line per event is valid SSE.
        response.WriteAsync(new StringBuilder(json.Length + 32).Append("event: ").Append(name).Append("\ndata: ").Append(json).Append("\n\n").ToString(), ct);
}
