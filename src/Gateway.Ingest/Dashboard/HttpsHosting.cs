using Gateway.Ingest.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Ingest.Dashboard;

/// <summary>
/// The dashboard's transport rules, applied in front of every endpoint so that no page or API can forget them: HTTPS
/// with the configured certificate, HSTS (RFC 6797) on every HTTPS answer, and every cookie the application sets made
/// <c>HttpOnly</c>, <c>SameSite=Strict</c> and, over HTTPS, <c>Secure</c> (RFC 6265bis), whatever the endpoint asked for.
/// </summary>
public static class HttpsHosting
{
    /// <summary>
    /// One year, the value HSTS preload lists ask for. No includeSubDomains: other services on sibling names are not
    /// this service's to bind to HTTPS.
    /// </summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>Puts the certificate on the listener when the configuration has one.</summary>
    public static void Configure(ListenOptions listen, DashboardConfig dashboard)
    {
        if (dashboard.Tls is { } tls) listen.UseHttps(tls.Certificate);
    }

    /// <summary>Adds HSTS and the cookie policy; call before the endpoints are mapped.</summary>
    public static void Use(WebApplication app, DashboardConfig dashboard)
    {
        var https = dashboard.Tls is not null;
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            HttpOnly = HttpOnlyPolicy.Always,
            MinimumSameSitePolicy = SameSiteMode.Strict,
            Secure = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest,
        });
        if (!https) return;
        app.Use((context, next) =>
        {
            context.Response.Headers.StrictTransportSecurity = StrictTransportSecurity;
            return next(context);
        });
    }
}
