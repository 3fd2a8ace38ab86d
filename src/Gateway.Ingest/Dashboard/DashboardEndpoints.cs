using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest.Dashboard;

/// <summary>
/// The dashboard's HTTP surface: login, the pages, the JSON API (<c>/api/...</c>, same login), live updates
/// (server-sent events), and unauthenticated <c>/healthz</c> and <c>/metrics</c> for monitoring systems.
/// Every request from outside is hostile (DESIGN §6): bodies are bounded by Kestrel, ids are validated before use,
/// state-changing API calls need a custom header a cross-site form cannot send, and the session cookie is
/// HttpOnly + SameSite=Strict.
/// </summary>
public static partial class DashboardEndpoints
{
    public const string SessionCookie = "gw_session";

    /// <summary>State-changing API calls carry this header; browsers do not let another site's form or image set it.</summary>
    public const string CsrfHeader = "X-Gateway-Dashboard";

    public static void Map(WebApplication app)
    {
        var config = app.Services.GetRequiredService<CentralConfig>();
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h.XFrameOptions = "DENY";
            h.ContentSecurityPolicy = ContentSecurityPolicy(config.Dashboard.TileUrl);
            h.CacheControl = "no-store";
            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", Metrics);
        app.MapGet("/favicon.ico", () => Results.Redirect("/assets/icon.svg", permanent: true));
        app.MapGet("/assets/{**name}", (string name) =>
            StaticAssets.TryGet(name, out var bytes, out var type) ? Results.Bytes(bytes, type) : Results.NotFound());
        if (!config.Dashboard.Enabled) return;
        app.MapGet("/login", () => Page("login.html"));
        app.MapPost("/login", LoginAsync).DisableAntiforgery();
        app.MapPost("/logout", Logout);
        app.MapGet("/", (HttpContext context, SessionStore sessions) =>
            sessions.Validate(context.Request.Cookies[SessionCookie]) is null ? Results.Redirect("/login") : Page("index.html"));
        MapApi(app.MapGroup("/api").AddEndpointFilter(RequireLogin));
    }

    private static IResult Page(string name) =>
        StaticAssets.TryGet(name, out var bytes, out var type) ? Results.Bytes(bytes, type) : Results.NotFound();

    private static async Task<IResult> LoginAsync(HttpContext context, SessionStore sessions, CentralConfig config, ILoggerFactory loggers)
    {
        if (!context.Request.HasFormContentType) return Results.BadRequest("send the login form (application/x-www-form-urlencoded)");
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var user = form["user"].ToString();
        var password = form["password"].ToString();
        var logger = loggers.CreateLogger("Gateway.Ingest.Dashboard");
        if (user.Length is 0 or > 64 || password.Length is 0 or > 1024)
            return Results.Redirect("/login?failed=1");
        var address = context.Connection.RemoteIpAddress;
        var result = await sessions.LoginAsync(user, password, address, context.Request.Cookies[DeviceTrust.Cookie]).ConfigureAwait(false);
        if (result.Token is not { } token)
        {
            var wait = (int)Math.Ceiling(result.RetryAfter.TotalSeconds);
            // A refusal without a check (delayed, busy) costs nothing and is only counted (/metrics): a flood of them
            // must not flood the log. Each checked failure is logged; the throttle bounds how often that can happen.
            if (result.Refusal is LoginRefusal.BadCredentials or LoginRefusal.TooManySessions)
                LogLoginRefused(logger, user, result.Refusal == LoginRefusal.BadCredentials ? "bad credentials" : "too many sessions",
                    address?.ToString() ?? "?", wait);
            return Results.Redirect(result.Refusal switch
            {
                LoginRefusal.BadCredentials => wait > 0 ? $"/login?failed=1&wait={wait}" : "/login?failed=1",
                LoginRefusal.Delayed => $"/login?wait={Math.Max(1, wait)}",
                _ => "/login?busy=1",
            });
        }
        LogLogin(logger, user, address?.ToString() ?? "?");
        if (!result.TrustedDevice)
            context.Response.Cookies.Append(DeviceTrust.Cookie, sessions.Devices.Issue(user), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/login",
                MaxAge = DeviceTrust.Lifetime,
            });
        context.Response.Cookies.Append(SessionCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = config.Dashboard.SessionLifetime,
        });
        return Results.Redirect("/");
    }

    private static IResult Logout(HttpContext context, SessionStore sessions)
    {
        sessions.Logout(context.Request.Cookies[SessionCookie]);
        context.Response.Cookies.Delete(SessionCookie);
        return Results.Redirect("/login");
    }

    private static async ValueTask<object?> RequireLogin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var sessions = http.RequestServices.GetRequiredService<SessionStore>();
        // An account an admin removed has no role left: its sessions are over even if one slipped through.
        if (sessions.Validate(http.Request.Cookies[SessionCookie]) is not { } user || http.RequestServices.GetRequiredService<AccountStore>().Find(user) is not { } account)
            return Results.Json(new { error = "log in first (POST /login); sessions expire" }, statusCode: StatusCodes.Status401Unauthorized);
        if (!HttpMethods.IsGet(http.Request.Method) && http.Request.Headers[CsrfHeader].Count == 0)
            return Results.Json(new { error = $"state-changing requests need the {CsrfHeader} header" }, statusCode: StatusCodes.Status403Forbidden);
        http.Items["user"] = user;
        http.Items["role"] = account.Role;
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The logged-in account's role (set by <see cref="RequireLogin"/>).</summary>
    private static DashboardRole RoleOf(HttpContext context) => context.Items["role"] as DashboardRole? ?? DashboardRole.Viewer;

    private static IResult Forbidden(string role) =>
        Results.Json(new { error = $"this needs the {role} role; ask an admin (dashboard.accounts[].role in the central config)" }, statusCode: StatusCodes.Status403Forbidden);

    private static string ContentSecurityPolicy(string? tileUrl)
    {
        var tiles = tileUrl is not null && Uri.TryCreate(tileUrl.Replace("{z}", "0", StringComparison.Ordinal).Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal), UriKind.Absolute, out var u)
            ? $" {u.GetLeftPart(UriPartial.Authority)}" : "";
        return $"default-src 'self'; img-src 'self' data:{tiles}; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";
    }

    [LoggerMessage(EventId = 570, Level = LogLevel.Information, Message = "Operator '{User}' logged in from {Address}")]
    private static partial void LogLogin(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 571, Level = LogLevel.Warning, Message = "Login refused for '{User}' from {Address}: {Reason}; the next try from there is possible in {WaitSeconds} s")]
    private static partial void LogLoginRefused(ILogger logger, string user, string reason, string address, int waitSeconds);
}
