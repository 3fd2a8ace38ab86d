using Gateway.Ingest.Dashboard.Tiles;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Central;

/// <summary>The offline map archive: a generated MBTiles file read back tile by tile in the XYZ scheme the map asks in.</summary>
public sealed class MbTilesArchiveTests
{
    [Fact]
    public void Open_GeneratedArchive_ServesItsTilesInXyzAndNothingElse()
    {
        using var dir = new TempDirectory("mbtiles");
        var path = dir.File("site.mbtiles");
        var written = TileArchive.Write(path, 8.48, -13.24, 8.50, -13.22, 12, 14, (10, 20, 30));
        var archive = MbTilesArchive.Open(path);
        Assert.Equal((12, 14, "image/png"), (archive.MinZoom, archive.MaxZoom, archive.ContentType));
        Assert.Equal([-13.24, 8.48, -13.22, 8.50], archive.Bounds!);
        var (x, y) = TileArchive.Tile(8.49, -13.23, 14);
        Assert.Equal(TileArchive.SolidPng(256, (10, 20, 30)), archive.Tile(14, x, y));
        Assert.Null(archive.Tile(14, x + 50, y));
        Assert.Null(archive.Tile(15, x * 2, y * 2));
        Assert.Null(archive.Tile(14, -1, y));
        Assert.True(written > 4);
    }

    [Fact]
    public void Open_NotAnArchive_SaysWhatIsWrong()
    {
        using var dir = new TempDirectory("mbtiles");
        var path = dir.File("junk.mbtiles");
        File.WriteAllText(path, "not sqlite");
        var ex = Assert.Throws<InvalidDataException>(() => MbTilesArchive.Open(path));
        Assert.Contains("not a readable MBTiles file", ex.Message, StringComparison.Ordinal);
    }
}
