using System.Text;
using Gateway.Agent.Profiles;
using Gateway.Telemetry.Pipeline;
using Gateway.TestKit.Data;

namespace Gateway.Agent.Tests.Profiles;

public sealed class ProfileLoaderTests
{
    private const string Valid = """
        {
          "gatewayId": "cp-1",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [
            { "type": "gps", "name": "gps" },
            { "type": "bme280", "name": "env", "address": "0x77" },
            { "type": "counter", "name": "seq", "ratePerSecond": 5 }
          ]
        }
        """;

    [Fact]
    public void Parse_MinimalProfile_AppliesDefaults()
    {
        var p = ProfileLoader.Parse(Encoding.UTF8.GetBytes(Valid), "p.json");
        Assert.Equal("cp-1", p.GatewayId);
        Assert.Equal(HardwareMode.Simulated, p.Hardware);
        Assert.Equal(1883, p.Broker.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), p.Broker.KeepAlive);
        Assert.Equal(8192, p.Pipeline.Capacity);
        Assert.Equal(PipelineFullMode.DropOldest, p.Pipeline.FullMode);
        Assert.Equal(TimeSpan.FromSeconds(1), p.Pipeline.BatchMaxDelay);
        Assert.Equal(new GpsSourceProfile("gps", "/dev/serial0", 9600), p.Sources[0]);
        Assert.Equal(new Bme280SourceProfile("env", 1, 0x77, TimeSpan.FromSeconds(10)), p.Sources[1]);
        Assert.Equal(new CounterSourceProfile("seq", 5), p.Sources[2]);
        Assert.Equal("p.json", p.FileName);
    }

    // Single quotes stand for double quotes, to keep the table readable.
    public static TheoryData<string, string, string> BadProfiles => new()
    {
        { "'gatewayId': 'cp-1',", "'gatewayId': 'CP 1',", "'gatewayId' must be 1-64 characters" },
        { "'gatewayId': 'cp-1',", "", "'gatewayId' is required" },
        { "'latitude': 8.48,", "'latitude': 95,", "'site.latitude' must be between -90 and 90; got 95" },
        { "'latitude': 8.48,", "'latitude': 'north',", "'site.latitude' must be a number" },
        { "'host': '127.0.0.1'", "'host': '127.0.0.1', 'port': 70000", "'broker.port' must be between 1 and 65535; got 70000" },
        { "'host': '127.0.0.1'", "'host': '127.0.0.1', 'prot': 1883", "'broker.prot' is not a known setting here" },
        { "'address': '0x77'", "'address': '0x40'", "'sources[1].address' must be 0x76 or 0x77" },
        { "'type': 'gps',", "'type': 'radar',", "'sources[0].type' must be one of gps, bme280, counter, ina219, lora, gpio-input, cpu-temperature, ds18b20; got 'radar'" },
        { "'ratePerSecond': 5", "'ratePerSecond': 0", "'sources[2].ratePerSecond' must be between" },
        { "'ratePerSecond': 5", "", "'sources[2].ratePerSecond' is required" },
        { "'name': 'seq',", "'name': 'gps',", "'sources[2].name' 'gps' is used by two sources" },
        { "'broker': { 'host': '127.0.0.1' },", "'broker': { 'host': '127.0.0.1' }, 'hardware': 'raspberry',", "'hardware' must be one of simulated, linux; got 'raspberry'" },
        { "'broker': { 'host': '127.0.0.1' },", "'broker': { 'host': '127.0.0.1' }, 'pipeline': { 'fullMode': 'wait' },", "'pipeline.fullMode' must be one of dropoldest, dropnewest; got 'wait'" },
        { "'broker': { 'host': '127.0.0.1' },", "", "'broker' is required" },
        { "'sources': [", "'extra': 1, 'sources': [", "'extra' is not a known setting here" },
        { "'gatewayId': 'cp-1',", "'gatewayId': 'cp-1', 'gatewayId': 'cp-2',", "gatewayId" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public void Parse_BadProfile_NamesTheKeyAndTheProblem(string find, string replace, string expected)
    {
        find = find.Replace('\'', '"');
        Assert.Contains(find, Valid);
        var json = Valid.Replace(find, replace.Replace('\'', '"'), StringComparison.Ordinal);
        var ex = Assert.Throws<ProfileException>(() => ProfileLoader.Parse(Encoding.UTF8.GetBytes(json), "site.json"));
        Assert.StartsWith("profile site.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"gatewayId\": }")]
    [InlineData("\"text\"")]
    public void Parse_NotAnObject_FailsWithProfileException(string json)
    {
        var ex = Assert.Throws<ProfileException>(() => ProfileLoader.Parse(Encoding.UTF8.GetBytes(json), "x.json"));
        Assert.Contains("x.json", ex.Message);
    }

    [Fact]
    public void Parse_RandomBytes_OnlyEverThrowsProfileException()
    {
        var random = new Random(7);
        var bytes = Encoding.UTF8.GetBytes(Valid);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])bytes.Clone();
            for (var m = 0; m < 1 + random.Next(4); m++) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try { ProfileLoader.Parse(mutated, "fuzz.json"); }
            catch (ProfileException) { }
        }
    }

    [Fact]
    public void Load_MissingFile_SaysWhereSamplesAre()
    {
        var ex = Assert.Throws<ProfileException>(() => ProfileLoader.Load("/nonexistent/profile.json"));
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("firmware-config/profiles", ex.Message);
    }

    [Fact]
    public void Load_EveryShippedProfile_IsValid()
    {
        var dir = RepositoryRoot.Folder("firmware-config/profiles");
        var files = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files) ProfileLoader.Load(file);
    }
}
