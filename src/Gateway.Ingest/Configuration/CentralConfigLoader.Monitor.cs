using System.Text.RegularExpressions;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.Ingest.Topics;

namespace Gateway.Ingest.Configuration;

// The monitor's part of the configuration: dashboard, alert rules, sites and assets.
public static partial class CentralConfigLoader
{
    private static DashboardConfig ReadDashboard(ConfigSection d, string baseDirectory)
    {
        var enabled = d.Boolean("enabled", false);
        var (listen, tls, plainHttp) = ReadDashboardHttp(d, enabled, baseDirectory);
        var session = TimeSpan.FromMinutes(d.Integer("sessionMinutes", 480, 1, 7 * 24 * 60));
        var trail = TimeSpan.FromHours(d.Number("trailHours", 6, 0.1, 72));
        var tiles = d.OptionalString("tileUrl");
        if (tiles is not null && (!tiles.Contains("{z}", StringComparison.Ordinal) || !tiles.Contains("{x}", StringComparison.Ordinal) || !tiles.Contains("{y}", StringComparison.Ordinal)
            || !(tiles.StartsWith("http://", StringComparison.Ordinal) || tiles.StartsWith("https://", StringComparison.Ordinal) || tiles.StartsWith('/'))))
            throw d.Error("tileUrl", $"must be an http(s) URL template with {{z}}, {{x}} and {{y}}, e.g. http://tiles.site.lan/{{z}}/{{x}}/{{y}}.png; got '{tiles}'");
        var accounts = new List<AccountConfig>();
        foreach (var a in d.Objects("accounts"))
        {
            var user = a.RequiredString("user");
            if (!UserPattern().IsMatch(user)) throw a.Error("user", $"must be 1-64 characters of letters, digits, '.', '-' and '_'; got '{user}'");
            var hash = a.RequiredString("passwordHash");
            if (!PasswordHash.IsWellFormed(hash))
                throw a.Error("passwordHash", "is not a hash made by 'gateway-ingest hash-password' (pbkdf2-sha256$ITERATIONS$SALT$HASH); never put a plain password here");
            if (accounts.Exists(x => x.User == user)) throw a.Error("user", $"'{user}' is listed twice");
            accounts.Add(new AccountConfig(user, hash, a.Enum("role", DashboardRole.Operator)));
            a.RejectUnknownKeys();
        }
        // An offline map the operator dropped on the server (MBTiles, raster): preferred over tileUrl, served by us.
        var archive = d.OptionalString("tileArchive") is { } file ? Path.GetFullPath(file, baseDirectory) : null;
        if (archive is not null && !File.Exists(archive))
            throw d.Error("tileArchive", $"names {archive}, which does not exist; put the .mbtiles file there or remove the key (the map then uses tileUrl or the grid)");
        if (enabled && accounts.Count == 0)
            throw d.Error("accounts", "must list at least one operator account when the dashboard is enabled (make a hash with: gateway-ingest hash-password)");
        d.RejectUnknownKeys();
        return new DashboardConfig(enabled, listen, session, trail, tiles, accounts, archive) { Tls = tls, PlainHttp = plainHttp };
    }

    private static AlertsConfig ReadAlerts(ConfigSection a)
    {
        var enabled = a.Boolean("enabled", false);
        var topic = a.String("topic", "fleet/alerts");
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0) throw a.Error("topic", $"must be a topic name without wildcards; got '{topic}'");
        WebhookConfig? webhook = null;
        var w = a.Section("webhook");
        if (w.OptionalHttpUrl("url") is { } url) webhook = new WebhookConfig(url, w.Seconds("timeoutSeconds", 5, 0.1, 60));
        w.RejectUnknownKeys();

        var g = a.Section("gatewayOffline");
        var gatewayOffline = new GatewayOfflineRule(g.Boolean("enabled", true), g.Seconds("afterSeconds", 300, 1, 7 * 86400));
        g.RejectUnknownKeys();
        var n = a.Section("assetNotSeen");
        var assetNotSeen = new AssetNotSeenRule(n.Boolean("enabled", true), n.Seconds("afterSeconds", 900, 1, 30 * 86400));
        n.RejectUnknownKeys();
        var f = a.Section("geofence");
        var geofence = new GeofenceRule(f.Boolean("enabled", true), f.Seconds("holdSeconds", 30, 0, 86400), f.Number("marginMeters", 25, 0, 10_000));
        f.RejectUnknownKeys();
        var b = a.Section("tagBatteryLow");
        var battery = new BatteryLowRule(b.Boolean("enabled", true), b.Integer("raiseBelowMv", 3300, 0, 20000), b.Integer("clearAboveMv", 3450, 0, 20000), b.Seconds("holdSeconds", 60, 0, 86400));
        if (battery.ClearAboveMv <= battery.RaiseBelowMv) throw b.Error("clearAboveMv", $"must be above raiseBelowMv ({battery.RaiseBelowMv}) so that the band between them damps flapping");
        b.RejectUnknownKeys();
        var t = a.Section("tagAlarm");
        var tagAlarm = new HoldRule(t.Boolean("enabled", true), t.Seconds("holdSeconds", 0, 0, 86400));
        t.RejectUnknownKeys();
        var i = a.Section("enclosureInput");
        var input = new HoldRule(i.Boolean("enabled", true), i.Seconds("holdSeconds", 0, 0, 86400));
        i.RejectUnknownKeys();
        var e = a.Section("enclosureTemperature");
        var temperature = new TemperatureRule(e.Boolean("enabled", true), e.Number("raiseAboveC", 60, -60, 150), e.Number("clearBelowC", 55, -60, 150),
            e.Seconds("holdSeconds", 60, 0, 86400), e.Strings("sensors"));
        if (temperature.ClearBelowC >= temperature.RaiseAboveC) throw e.Error("clearBelowC", $"must be below raiseAboveC ({temperature.RaiseAboveC}) so that the band between them damps flapping");
        e.RejectUnknownKeys();
        a.RejectUnknownKeys();
        return new AlertsConfig(enabled, topic, webhook, gatewayOffline, assetNotSeen, geofence, battery, tagAlarm, input, temperature);
    }

    private static List<SiteConfig> ReadSites(ConfigSection root)
    {
        var sites = new List<SiteConfig>();
        foreach (var s in root.Objects("sites"))
        {
            var name = s.RequiredString("name");
            if (sites.Exists(x => x.Name == name)) throw s.Error("name", $"'{name}' is listed twice");
            var fence = Polygon(s, "geofence");
            sites.Add(new SiteConfig(name, fence, s.Strings("gateways")));
            s.RejectUnknownKeys();
        }
        return sites;
    }

    private static List<AssetConfig> ReadAssets(ConfigSection root, List<SiteConfig> sites)
    {
        var assets = new List<AssetConfig>();
        foreach (var a in root.Objects("assets"))
        {
            var tag = a.RequiredString("tag");
            if (!FleetTopic.IsTagId(tag)) throw a.Error("tag", $"must be the tag id as 8 lowercase hex digits (as the gateway reports it), e.g. 0a1b2c3d; got '{tag}'");
            if (assets.Exists(x => x.Tag == tag)) throw a.Error("tag", $"'{tag}' is listed twice");
            var site = a.OptionalString("site");
            if (site is not null && !sites.Exists(s => s.Name == site))
                throw a.Error("site", $"'{site}' is not one of the sites ({string.Join(", ", sites.Select(s => s.Name))})");
            assets.Add(new AssetConfig(tag, a.String("name", tag), site, Polygon(a, "geofence"),
                Text(a, "kind", 64), Text(a, "owner", 128), Text(a, "notes", 1000)));
            a.RejectUnknownKeys();
        }
        return assets;
    }

    private static string? Text(ConfigSection s, string name, int maxLength)
    {
        var text = s.OptionalString(name);
        if (text is not null && text.Length > maxLength) throw s.Error(name, $"must be at most {maxLength} characters; got {text.Length}");
        return text;
    }

    private static IReadOnlyList<(double Lat, double Lon)>? Polygon(ConfigSection s, string name)
    {
        var points = s.Coordinates(name);
        if (points is not null && points.Count < 3) throw s.Error(name, $"must have at least 3 [lat, lon] corners; got {points.Count}");
        return points;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    internal static partial Regex UserPattern();
}
