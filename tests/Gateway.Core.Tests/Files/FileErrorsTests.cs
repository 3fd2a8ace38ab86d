using Gateway.Core.Files;

namespace Gateway.Core.Tests.Files;

public sealed class FileErrorsTests
{
    [Fact]
    public void IsNoSpace_ARealFullDevice_IsRecognised()
    {
        // /dev/full answers every write with ENOSPC (null(4)): the exception .NET itself throws, not one we built.
        var ex = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            full.Write(new byte[4096]);
            full.Flush();
        });
        Assert.True(FileErrors.IsNoSpace(ex), $"HResult {ex.HResult}: {ex.Message}");
    }

    [Theory]
    [InlineData(28, true)]   // ENOSPC
    [InlineData(122, true)]  // EDQUOT
    [InlineData(5, false)]   // EIO: a failing card, not a full one
    [InlineData(30, false)]  // EROFS: remounted read-only
    public void IsNoSpace_OnlyEnospcAndEdquot(int errno, bool expected) =>
        Assert.Equal(expected, FileErrors.IsNoSpace(new IOException("write failed", errno)));

    [Fact]
    public void IsNoSpace_MissingFile_IsNot()
    {
        var ex = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/nonexistent-" + Guid.NewGuid()));
        Assert.False(FileErrors.IsNoSpace(ex));
    }
}
