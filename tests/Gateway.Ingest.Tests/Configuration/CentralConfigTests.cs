using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.TestKit.Data;

namespace Gateway.Ingest.Tests.Configuration;

public sealed class CentralConfigTests
{
    [Theory]
    [InlineData("central.json")]
    [InlineData("demo.json")]
    public void ShippedSamples_AreValid(string name)
    {
        // The production sample names files under /etc/gateway-ingest (certificates, passwords): here they are made in
        // a temporary directory that stands in for it, so the sample is validated with every key it has.
        using var etc = new Gateway.TestKit.Io.TempDirectory("etc");
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Folder("deploy/central"), name)).Replace("/etc/gateway-ingest/", etc.Path + "/", StringComparison.Ordinal);
        SampleFiles.Create(etc, text);
        var path = etc.File(name);
        File.WriteAllText(path, text);
        var config = CentralConfigLoader.Load(path);
        Assert.True(config.Ingest.Enabled);
        Assert.True(config.Dashboard.Enabled);
        Assert.True(config.Alerts.Enabled);
        Assert.NotEmpty(config.Dashboard.Accounts);
        Assert.All(config.Sites, s => Assert.True(s.Geofence!.Count >= 3));
    }

    [Fact]
    public void Accounts_HaveRoles_OperatorByDefault_AndAnUnknownRoleIsRefused()
    {
        var hash = Gateway.Ingest.Dashboard.Auth.PasswordHash.Create("pass-word-1", Gateway.Ingest.Dashboard.Auth.PasswordHash.MinIterations);
        var c = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes($$"""
            { "dashboard": { "accounts": [ { "user": "a", "passwordHash": "{{hash}}" }, { "user": "b", "role": "viewer", "passwordHash": "{{hash}}" },
              { "user": "c", "role": "admin", "passwordHash": "{{hash}}" } ] } }
            """), "t.json", Path.GetTempPath());
        Assert.Equal([DashboardRole.Operator, DashboardRole.Viewer, DashboardRole.Admin], c.Dashboard.Accounts.Select(a => a.Role));
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Parse(Encoding.UTF8.GetBytes($$"""
            { "dashboard": { "accounts": [ { "user": "a", "role": "root", "passwordHash": "{{hash}}" } ] } }
            """), "t.json", Path.GetTempPath()));
        Assert.Contains("'dashboard.accounts[0].role' must be one of viewer, operator, admin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreIngestOnlyIntoLocalInfluxDb()
    {
        var c = CentralConfigLoader.Default();
        Assert.Equal(("127.0.0.1", 1883, "ingest"), (c.Broker.Host, c.Broker.Port, c.Broker.ShareGroup));
        Assert.Equal((StoreKind.InfluxDb1, new Uri("http://127.0.0.1:8086/"), "fleet"), (c.Store.Kind, c.Store.Url, c.Store.Database));
        Assert.Equal((5000, TimeSpan.FromSeconds(1), true), (c.Store.BatchMaxLines, c.Store.BatchMaxDelay, c.Store.Gzip));
        Assert.False(c.MonitorEnabled);
        Assert.Equal([new SequenceField("counter", "seq")], c.Ingest.Sequences);
        Assert.NotNull(c.History);
    }

    [Theory]
    [InlineData("""{ "store": { "typ": "influxdb1" } }""", "'store.typ' is not a known setting here")]
    [InlineData("""{ "store": { "type": "mongodb" } }""", "'store.type' must be one of influxdb1, influxdb2, influxdb3, victoriametrics")]
    [InlineData("""{ "store": { "type": "influxdb2", "bucket": "b" } }""", "'store.tokenFile' is required for type 'influxdb2'")]
    [InlineData("""{ "store": { "bucket": "b" } }""", "'store.bucket' only applies to type influxdb2/influxdb3")]
    [InlineData("""{ "store": { "url": "ftp://x" } }""", "'store.url' must be an http(s) URL")]
    [InlineData("""{ "store": { "batchMaxLines": 0 } }""", "'store.batchMaxLines' must be between 1 and 100000; got 0")]
    [InlineData("""{ "broker": { "shareGroup": "a/b" } }""", "'broker.shareGroup' must be 'none' or 1-64 characters")]
    [InlineData("""{ "dashboard": { "enabled": true, "plainHttp": true } }""", "'dashboard.accounts' must list at least one operator account")]
    [InlineData("""{ "dashboard": { "accounts": [ { "user": "ops", "passwordHash": "hunter2" } ] } }""", "never put a plain password here")]
    [InlineData("""{ "dashboard": { "listen": "ftp://0.0.0.0:443" } }""", "'dashboard.listen' must be https://ADDRESS:PORT")]
    [InlineData("""{ "alerts": { "tagBatteryLow": { "raiseBelowMv": 3400, "clearAboveMv": 3300 } } }""", "'alerts.tagBatteryLow.clearAboveMv' must be above raiseBelowMv")]
    [InlineData("""{ "alerts": { "geofence": { "holdSecond": 3 } } }""", "'alerts.geofence.holdSecond' is not a known setting")]
    [InlineData("""{ "sites": [ { "name": "s", "geofence": [[1, 2], [3, 4]] } ] }""", "'sites[0].geofence' must have at least 3 [lat, lon] corners; got 2")]
    [InlineData("""{ "sites": [ { "name": "s", "geofence": [[1, 2], [3, 4], [95, 1]] } ] }""", "'sites[0].geofence[2]' is not a position")]
    [InlineData("""{ "assets": [ { "tag": "0A1B2C3D" } ] }""", "'assets[0].tag' must be the tag id as 8 lowercase hex digits")]
    [InlineData("""{ "assets": [ { "tag": "0a1b2c3d", "site": "nowhere" } ] }""", "'assets[0].site' 'nowhere' is not one of the sites")]
    [InlineData("""{ "ingest": { "enabled": false } }""", "this instance would do nothing")]
    [InlineData("""{ "store": { "tokenFile": "/nonexistent/secret" } }""", "'store.tokenFile' cannot be used: /nonexistent/secret does not exist")]
    [InlineData("""{ "store": { "username": "u" } }""", "'store.username' is set without passwordFile")]
    [InlineData("""{ "history": { "username": "u" } }""", "'history.username' is set without passwordFile")]
    [InlineData("""{ "store": { "username": "u", "passwordFile": "/nonexistent/secret" } }""", "'store.passwordFile' cannot be used: /nonexistent/secret does not exist")]
    [InlineData("""{ "store": """, "not valid JSON at line 1")]
    [InlineData("""{ "store": { "type": "influxdb1", "type": "influxdb2" } }""", "not valid JSON")]
    [InlineData("""{ "dashboard": { "tileArchive": "/nonexistent/region.mbtiles" } }""", "'dashboard.tileArchive' names /nonexistent/region.mbtiles, which does not exist")]
    [InlineData("""{ "alerts": { "geofence": { "marginMeters": -1 } } }""", "'alerts.geofence.marginMeters' must be between 0 and 10000")]
    [InlineData("""{ "assets": [ { "tag": "0a1b2c3d", "kind": "a-very-long-kind-name-that-is-longer-than-sixty-four-characters-in-total" } ] }""", "'assets[0].kind' must be at most 64 characters")]
    public void BadConfig_StopsWithOneMessageNamingTheKey(string json, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "test.json", Path.GetTempPath()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("config test.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_AreReadFromFiles_RelativeToTheConfig()
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("cfg");
        var token = dir.Secret("token", "  tok-42\n");
        var c = CentralConfigLoader.Parse("""{ "store": { "type": "influxdb2", "bucket": "fleet", "org": "o", "tokenFile": "token" } }"""u8, "t.json", dir.Path);
        Assert.Equal("tok-42", c.Store.Token);
        Assert.Equal(token, c.Store.CredentialsFile);
        Assert.Equal("tok-42", c.History!.Token);
        Assert.Equal("fleet", c.History.Database);
    }

    [Fact]
    public void History_HasItsOwnReadUser_OnTheStoresUrl()
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("cfg");
        dir.Secret("w", "writer\n");
        var reader = dir.Secret("r", "reader\n");
        var c = CentralConfigLoader.Parse("""
            { "store": { "url": "http://db:8086", "username": "ingest", "passwordFile": "w" },
              "history": { "username": "dashboard", "passwordFile": "r" } }
            """u8, "t.json", dir.Path);
        Assert.Equal(("ingest", "writer"), (c.Store.Username, c.Store.Password));
        Assert.Equal((new Uri("http://db:8086/"), "fleet", "dashboard", "reader", reader), (c.History!.Url, c.History.Database, c.History.Username, c.History.Password, c.History.CredentialsFile));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.GroupWrite, "0620")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void SecretFile_ReadableOrWritableByOthers_IsRefused_NamingTheFileAndTheFix(UnixFileMode extra, string octal)
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("cfg");
        var path = dir.Secret("pw", "secret-value");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Parse("""{ "store": { "username": "u", "passwordFile": "pw" } }"""u8, "t.json", dir.Path));
        Assert.Equal($"config t.json: 'store.passwordFile' cannot be used: {path} is readable by group or others (mode {octal}); run 'chmod 600 {path}' (owner: the service's user) and change the secret if others may have read it", ex.Message);
    }

    [Theory]
    [InlineData("""{ "store": { "type": "victoriametrics", "tokenFile": "t" } }""")]
    [InlineData("""{ "store": { "type": "influxdb2", "bucket": "b", "tokenFile": "t" } }""")]
    public void StoreTokens_AreNamedByTheirFile_NeverByTheirValue(string json)
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("cfg");
        var file = dir.Secret("t", "tok-secret\n");
        var c = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "t.json", dir.Path);
        using var writer = Gateway.Ingest.Store.StoreWriterFactory.Create(c.Store, TimeProvider.System);
        Assert.Equal($"the token in {file}", writer.CredentialsSource);
        var refused = writer.Classify(System.Net.HttpStatusCode.Unauthorized, "bad token", null);
        Assert.Equal(Gateway.Ingest.Store.StoreWriteOutcome.Unauthorized, refused.Outcome);
        Assert.Contains(file, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VictoriaMetrics_HasNoInfluxQlHistoryUnlessOneIsNamed()
    {
        Assert.Null(CentralConfigLoader.Parse("""{ "store": { "type": "victoriametrics" } }"""u8, "t", "/").History);
        var c = CentralConfigLoader.Parse("""{ "store": { "type": "victoriametrics" }, "history": { "url": "http://h:8086", "database": "d" } }"""u8, "t", "/");
        Assert.Equal(new Uri("http://h:8086/"), c.History!.Url);
        Assert.Equal(new Uri("http://127.0.0.1:8428/"), c.Store.Url);
    }

    [Fact]
    public void CommandLine_OverridesTheFile()
    {
        var o = IngestOptions.Parse(["--broker", "b:2", "--influx", "http://i:1", "--database", "d", "--client-id", "c", "--http", "http://127.0.0.1:9", "--state-dir", "/tmp/s"], _ => null, out _)!;
        var c = o.Resolve();
        Assert.Equal(("b", 2, "c"), (c.Broker.Host, c.Broker.Port, c.Broker.ClientId));
        Assert.Equal((new Uri("http://i:1/"), "d"), (c.Store.Url, c.Store.Database));
        Assert.Equal((new Uri("http://i:1/"), "d"), (c.History!.Url, c.History.Database));
        Assert.Equal(new Uri("http://127.0.0.1:9"), c.Dashboard.Listen);
        Assert.Equal("/tmp/s", c.StateDirectory);
    }

    [Theory]
    [InlineData("""{ "broker": { "shareGroup": "none" } }""", null, "fleet/+/telemetry")]
    [InlineData("""{ "broker": { "shareGroup": "g1" } }""", "g1", "$share/g1/fleet/+/telemetry")]
    [InlineData("{}", "ingest", "$share/ingest/fleet/+/telemetry")]
    public void ShareGroup_NoneMeansAPlainSubscription(string json, string? group, string filter)
    {
        var c = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "t.json", Path.GetTempPath());
        Assert.Equal(group, c.Broker.ShareGroup);
        Assert.Equal(filter, Gateway.Ingest.Topics.FleetTopic.Shared(c.Broker.ShareGroup, Gateway.Ingest.Topics.FleetTopic.TelemetryFilter));
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("blue", "blue")]
    public void CommandLine_ShareGroup_OverridesTheFile(string value, string? expected) =>
        Assert.Equal(expected, IngestOptions.Parse(["--share-group", value], _ => null, out _)!.Resolve().Broker.ShareGroup);

    [Theory]
    [InlineData(new[] { "--share-group", "a/b" }, "--share-group must be 'none' or 1-64 characters")]
    [InlineData(new[] { "--broker", "nope" }, "--broker must be HOST:PORT")]
    [InlineData(new[] { "--influx", "ftp://x" }, "--influx must be an http(s) URL")]
    [InlineData(new[] { "--http", "ftp://x" }, "--http must be an https (or, for a loopback demo, http) URL")]
    [InlineData(new[] { "--database" }, "--database needs a value")]
    [InlineData(new[] { "--what" }, "unknown argument '--what'")]
    public void CommandLine_Mistakes_SayWhatIsWrong(string[] args, string expected)
    {
        Assert.Null(IngestOptions.Parse(args, _ => null, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_IsUsed_AndArgumentsWin()
    {
        var env = new Dictionary<string, string> { ["INGEST_BROKER"] = "e:1", ["INGEST_DATABASE"] = "envdb" };
        var c = IngestOptions.Parse(["--broker", "c:2"], k => env.GetValueOrDefault(k), out _)!.Resolve();
        Assert.Equal(("c", 2, "envdb"), (c.Broker.Host, c.Broker.Port, c.Store.Database));
    }
}
