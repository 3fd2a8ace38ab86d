using System.Text;
using System.Text.Json;
using Gateway.Cli;
using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests.Gps;

public sealed class GpsReplayTests
{
    private static readonly string Logs = Gateway.TestKit.Data.SharedTestData.Directory("gpsd");

    [Fact]
    public void Replay_Mt3339_OneTpvPerEpochInGpsdVocabulary()
    {
        var (code, output, error) = CliRunner.Run("gps", "replay", Path.Combine(Logs, "mt3339.log"));
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(30, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("TPV", first.GetProperty("class").GetString());
        Assert.Equal("2015-04-13T20:26:40.000Z", first.GetProperty("time").GetString());
        Assert.Equal(3, first.GetProperty("mode").GetInt32());
        Assert.Equal(2, first.GetProperty("status").GetInt32()); // DGPS: GGA quality 2
        Assert.Equal(44.068843333, first.GetProperty("lat").GetDouble(), 1e-9);
        Assert.Equal(-121.314191667, first.GetProperty("lon").GetDouble(), 1e-9);
        Assert.Equal(1127.7, first.GetProperty("altMSL").GetDouble(), 1e-9);
        Assert.Equal(225.97, first.GetProperty("track").GetDouble(), 1e-9);
        Assert.Contains("sentences=138 checksum_errors=0", error);
    }

    [Fact]
    public void Replay_Sky_AddsSkyWithDopsAndSatellites()
    {
        var (code, output, _) = CliRunner.Run("gps", "replay", "--sky", Path.Combine(Logs, "mt3339.log"));
        Assert.Equal(0, code);
        var sky = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(o => o.GetProperty("class").GetString() == "SKY").ToList();
        Assert.Equal(30, sky.Count);
        var last = sky[^1];
        Assert.True(last.GetProperty("pdop").GetDouble() > 0);
        Assert.True(last.GetProperty("uSat").GetInt32() >= 10);
        Assert.Equal(last.GetProperty("nSat").GetInt32(), last.GetProperty("satellites").GetArrayLength());
    }

    [Fact]
    public void Replay_DateOption_OverridesHeaderForCenturyAndRollover()
    {
        var path = Path.Combine(Logs, "april6_2019.log");
        var (_, withHeader, _) = CliRunner.Run("gps", "replay", path);
        Assert.Contains("\"time\":\"2019-04-07T00:02:31.420Z\"", withHeader);  // repaired from '# Date: 2019-3-14'
        var (_, with1999, _) = CliRunner.Run("gps", "replay", "--date", "1999-01-01", path);
        Assert.Contains("\"time\":\"1999-08-22T00:02:31.420Z\"", with1999);   // gpsd's answer
    }

    [Theory]
    [InlineData("2019-13-01")]
    [InlineData("yesterday")]
    public void Replay_BadDate_ExitsNonZeroSayingTheFormat(string date)
    {
        var (code, _, error) = CliRunner.Run("gps", "replay", "--date", date, Path.Combine(Logs, "mt3339.log"));
        Assert.NotEqual(0, code);
        Assert.Contains("--date must be yyyy-mm-dd", error);
    }

    [Fact]
    public void Replay_MissingFile_ExitsOneNamingIt()
    {
        var (code, _, error) = CliRunner.Run("gps", "replay", "/nonexistent/capture.nmea");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/capture.nmea", error);
    }

    [Fact]
    public void Replay_ColdStartLogWithoutAnyTime_ExitsOneSayingWhyNothingWasPrinted()
    {
        // What a receiver sends before it has seen a satellite: no UTC time in any sentence, so no epoch exists.
        using var temp = new Gateway.TestKit.Io.TempDirectory("gps-replay");
        var path = temp.File("cold.nmea");
        File.WriteAllText(path, string.Concat(Sentence("GPRMC,,V,,,,,,,,,,N"), Sentence("GPGGA,,,,,,0,00,99.99,,,,,,"),
            Sentence("GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99"), Sentence("GPGSV,1,1,00")));
        var (code, output, error) = CliRunner.Run("gps", "replay", path);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("nothing to print: none of the 4 sentences carried a UTC time", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_NoNmeaAtAll_ExitsOneSayingSo()
    {
        using var temp = new Gateway.TestKit.Io.TempDirectory("gps-replay");
        var path = temp.File("noise.bin");
        File.WriteAllBytes(path, [0xB5, 0x62, 0x01, 0x07, 0x00, 0x00, 0x08, 0x19]); // a UBX poll, not NMEA
        var (code, _, error) = CliRunner.Run("gps", "replay", path);
        Assert.Equal(1, code);
        Assert.Contains("nothing to print: no valid NMEA sentence in the input", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShippedGpsProfile_WithTermiosPortAndInitCommands()
    {
        var (code, output, error) = CliRunner.Run("config", "validate", Path.Combine(RepositoryRoot.Folder("firmware-config/gps"), "checkpoint-ublox.json"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("gps 'gps'", output);
    }

    private static string Sentence(string body)
    {
        byte checksum = 0;
        foreach (var c in body) checksum ^= (byte)c;
        return $"${body}*{checksum:X2}\r\n";
    }
}
