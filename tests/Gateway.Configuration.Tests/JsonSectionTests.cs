using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Gateway.Configuration.Tests;

/// <summary>The shared validating reader: every problem names the file and the JSON path, and nothing else escapes.</summary>
public sealed class JsonSectionTests
{
    private static JsonSection<TestError> Read(string json) => new("f.json", "", JsonDocument.Parse(json).RootElement);

    private static TestError Fails(Action read) => Assert.Throws<TestError>(read);

    [Fact]
    public void RootThatIsNotAnObject_NamesTheRoot()
    {
        var e = Fails(() => Read("[1]"));
        Assert.Equal("(root)", e.Key);
        Assert.Contains("must be a JSON object; got an array", e.Message);
    }

    [Fact]
    public void NestedKeys_CarryTheirFullPath()
    {
        var root = Read("""{ "sources": [ { "a": 1 }, { "address": 64 } ] }""");
        var second = root.Array("sources").ElementAt(1);
        var e = Fails(() => second.Integer("address", null, 0x76, 0x77));
        Assert.Equal("sources[1].address", e.Key);
        Assert.Equal("test f.json: 'sources[1].address' must be between 118 and 119; got 64", e.Message);
    }

    [Theory]
    [InlineData("""{ "n": "7" }""", "must be a number; got \"7\"")]
    [InlineData("""{ "n": true }""", "must be a number; got true")]
    [InlineData("""{ "n": 1e400 }""", "must be a number; got 1e400")]
    [InlineData("""{ "n": 11 }""", "must be between 0 and 10; got 11")]
    [InlineData("""{ "n": -0.5 }""", "must be between 0 and 10; got -0.5")]
    public void Number_RejectsWhatIsNotANumberInRange(string json, string problem) =>
        Assert.EndsWith(problem, Fails(() => Read(json).Number("n", null, 0, 10)).Message);

    [Theory]
    [InlineData("""{ "i": 1.5 }""", "must be a whole number; got 1.5")]
    [InlineData("""{ "i": 4294967296 }""", "must be a whole number; got 4294967296")]
    [InlineData("""{ "i": "0xZZ" }""", "must be a whole number; got \"0xZZ\"")]
    [InlineData("""{ "i": "0x100" }""", "must be between 0 and 255; got 256")]
    public void Integer_RejectsFractionsOverflowAndBadHex(string json, string problem) =>
        Assert.EndsWith(problem, Fails(() => Read(json).Integer("i", null, 0, 255)).Message);

    [Fact]
    public void Integer_AcceptsDatasheetHex()
    {
        Assert.Equal(0x76, Read("""{ "a": "0x76" }""").Integer("a", null, 0, 127));
        Assert.Equal(0x77, Read("""{ "a": "0X77" }""").Integer("a", null, 0, 127));
    }

    [Fact]
    public void AbsentOrNull_TakesTheDefault_OrIsRequired()
    {
        var s = Read("""{ "x": null }""");
        Assert.Equal(3, s.Integer("x", 3, 0, 10));
        Assert.Equal(2.5, s.Number("y", 2.5, 0, 10));
        Assert.True(s.Boolean("z", true));
        Assert.Equal("d", s.String("w", "d"));
        Assert.Null(s.OptionalHttpUrl("u"));
        Assert.Empty(s.Strings("list"));
        Assert.Empty(s.Objects("objs"));
        Assert.Null(s.Coordinates("fence"));
        Assert.EndsWith("'x' is required", Fails(() => s.RequiredString("x")).Message);
        Assert.EndsWith("'objs' is required", Fails(() => s.Array("objs")).Message);
        Assert.EndsWith("'inner' is required", Fails(() => s.Section("inner", required: true)).Message);
        Assert.Equal(7, s.Section("inner").Integer("k", 7, 0, 10));
    }

    [Fact]
    public void Strings_EmptyString_SaysToLeaveTheKeyOut() =>
        Assert.EndsWith("'s' must not be empty (leave the key out for the default)", Fails(() => Read("""{ "s": "" }""").OptionalString("s")).Message);

    [Fact]
    public void StringArray_NamesTheBadItem()
    {
        var e = Fails(() => Read("""{ "l": [ "a", 3 ] }""").Strings("l"));
        Assert.Equal("l[1]", e.Key);
        Assert.EndsWith("must be a non-empty string; got 3", e.Message);
    }

    [Theory]
    [InlineData("""{ "e": "Fast" }""", true)]
    [InlineData("""{ "e": "slow" }""", true)]
    [InlineData("""{ "e": "1" }""", false)]
    [InlineData("""{ "e": "medium" }""", false)]
    public void Enum_AcceptsNamesOnly(string json, bool ok)
    {
        if (ok) Assert.Equal(json.Contains("ast", StringComparison.Ordinal) ? Speed.Fast : Speed.Slow, Read(json).Enum("e", Speed.Fast));
        else Assert.EndsWith("must be one of slow, fast; got '" + JsonDocument.Parse(json).RootElement.GetProperty("e").GetString() + "'",
            Fails(() => Read(json).Enum("e", Speed.Slow)).Message);
    }

    private enum Speed { Slow, Fast }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("127.0.0.1:8086")]
    [InlineData("not a url")]
    public void HttpUrl_RejectsOtherSchemes(string url) =>
        Assert.Contains("must be an http(s) URL", Fails(() => Read($$"""{ "u": "{{url}}" }""").OptionalHttpUrl("u")).Message);

    [Theory]
    [InlineData("""{ "c": [ [1, 2], [3] ] }""", "c[1]", "must be a [latitude, longitude] pair")]
    [InlineData("""{ "c": [ [91, 2] ] }""", "c[0]", "is not a position")]
    [InlineData("""{ "c": [ [1, "2"] ] }""", "c[0]", "must be a [latitude, longitude] pair")]
    [InlineData("""{ "c": 5 }""", "c", "must be an array; got 5")]
    public void Coordinates_NamesTheBadPair(string json, string key, string problem)
    {
        var e = Fails(() => Read(json).Coordinates("c"));
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void UnknownKey_IsAnError_ButOnlyAfterEverythingKnownWasRead()
    {
        var s = Read("""{ "port": 1883, "hots": "x" }""");
        s.Integer("port", null, 1, 65535);
        Assert.True(s.Has("hots"));
        var e = Fails(s.RejectUnknownKeys);
        Assert.Equal("hots", e.Key);
        Assert.EndsWith("is not a known setting here (misspelt?)", e.Message);
    }

    [Fact]
    public void RandomJson_EitherReadsOrFailsWithOurError()
    {
        // Whatever a user writes, reading it never throws anything but the configuration error.
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse($$"""{ "v": {{JsonSerializer.Serialize(text)}}, "n": {{(text?.Length ?? 0)}} }"""); }
            catch (JsonException) { return true; }
            using (doc)
            {
                var s = new JsonSection<TestError>("f", "", doc.RootElement);
                foreach (var read in new Action[]
                {
                    () => s.Integer("v", 0, 0, 10), () => s.Number("v", 0, 0, 10), () => s.OptionalString("v"), () => s.Boolean("v", false),
                    () => s.OptionalHttpUrl("v"), () => s.Strings("v"), () => s.Coordinates("v"), () => s.Enum("v", Speed.Slow),
                    () => s.Section("v"), () => s.Integer("n", 0, 0, 5), s.RejectUnknownKeys,
                })
                {
                    try { read(); }
                    catch (TestError) { }
                }
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }
}
