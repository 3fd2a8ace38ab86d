using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest.Dashboard;

// Account management for admins (issue 15, roles): list, add or change (role, password reset), remove. The edits are
// kept by AccountStore in the state directory; a removed account and one whose password was reset are logged out.
// Like every state-changing call these need the CSRF header (RequireLogin).
public static partial class DashboardEndpoints
{
    private static void MapUsers(RouteGroupBuilder api)
    {
        api.MapGet("/users", (HttpContext c, AccountStore accounts) => RoleOf(c) < DashboardRole.Admin
            ? Forbidden("admin")
            : Results.Json(accounts.List().Select(a => new { a.Account.User, role = RoleName(a.Account.Role), fromConfig = a.FromConfig }), Json));
        api.MapPost("/users", SaveUserAsync);
        api.MapPost("/users/remove", RemoveUserAsync);
    }

    private static async Task<IResult> SaveUserAsync(HttpContext context, AccountStore accounts, SessionStore sessions)
    {
        if (RoleOf(context) < DashboardRole.Admin) return Forbidden("admin");
        var r = await ReadAsync<UserRequest>(context).ConfigureAwait(false);
        if (r?.User is not { } user || !CentralConfigLoader.UserPattern().IsMatch(user))
            return Results.BadRequest(new { error = "user must be 1-64 characters of letters, digits, '.', '-' and '_'" });
        if (r.Role switch { "viewer" => DashboardRole.Viewer, "operator" => DashboardRole.Operator, "admin" => DashboardRole.Admin, _ => (DashboardRole?)null } is not { } role)
            return Results.BadRequest(new { error = "role must be viewer, operator or admin" });
        string? hash = null;
        if (r.Password is { Length: > 0 } password)
        {
            if (password.Length is < HashPasswordCommand.MinLength or > 1024)
                return Results.BadRequest(new { error = $"the password must be {HashPasswordCommand.MinLength} to 1024 characters" });
            // The strongest cost any account already uses, never below the default (PBKDF2 is slow on purpose).
            hash = PasswordHash.Create(password, Math.Max(PasswordHash.DefaultIterations, accounts.List().Select(a => PasswordHash.Iterations(a.Account.PasswordHash)).DefaultIfEmpty(0).Max()));
        }
        if (accounts.Save(user, role, hash) is { } refusal) return Results.Json(new { error = refusal }, statusCode: StatusCodes.Status409Conflict);
        // A new password ends the sessions the old one opened (a reset after a leak must lock the holder out).
        if (hash is not null) sessions.EndSessions(user);
        LogAccountChanged(Logger(context), (string)context.Items["user"]!, user, hash is null ? $"role {RoleName(role)}" : $"role {RoleName(role)}, password set");
        return Results.Json(new { user, role = RoleName(role) }, Json);
    }

    private static async Task<IResult> RemoveUserAsync(HttpContext context, AccountStore accounts, SessionStore sessions)
    {
        if (RoleOf(context) < DashboardRole.Admin) return Forbidden("admin");
        if (await ReadAsync<UserRequest>(context).ConfigureAwait(false) is not { User: { Length: > 0 and <= 64 } user })
            return Results.BadRequest(new { error = "send JSON {\"user\": \"<user name>\"}" });
        var admin = (string)context.Items["user"]!;
        if (accounts.Remove(user, admin) is { } refusal) return Results.Json(new { error = refusal }, statusCode: StatusCodes.Status409Conflict);
        sessions.EndSessions(user);
        LogAccountChanged(Logger(context), admin, user, "removed");
        return Results.Json(new { user }, Json);
    }

    private static string RoleName(DashboardRole role) => role.ToString().ToLowerInvariant();

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Ingest.Dashboard");

    [LoggerMessage(EventId = 572, Level = LogLevel.Information, Message = "Admin '{Admin}' changed account '{User}': {Change}")]
    private static partial void LogAccountChanged(ILogger logger, string admin, string user, string change);

    private sealed record UserRequest(string? User, string? Role, string? Password);
}
