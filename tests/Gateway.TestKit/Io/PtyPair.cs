using System.Diagnostics;

namespace Gateway.TestKit.Io;

/// <summary>
/// A pair of connected pseudo-terminals made by <c>socat</c> (Debian package socat, installed by deploy/dev/test.sh):
/// <see cref="DevicePath"/> is what the code under test opens as its serial port, <see cref="FeedPath"/> is the other
/// end, where the test plays a receiver. Both are symlinks in a temp directory to /dev/pts/N. Stopping the pair is an
/// unplugged receiver; <see cref="Start"/> again with the same directory plugs one back in under the same name.
/// </summary>
public sealed class PtyPair : IDisposable
{
    private readonly Process _socat;

    private PtyPair(Process socat, string directory)
    {
        _socat = socat;
        DevicePath = Path.Combine(directory, "gps");
        FeedPath = Path.Combine(directory, "feed");
    }

    public string DevicePath { get; }
    public string FeedPath { get; }

    /// <summary>Starts socat and waits (at most 10 s) until both links exist.</summary>
    public static PtyPair Start(string directory)
    {
        var device = Path.Combine(directory, "gps");
        var feed = Path.Combine(directory, "feed");
        // A killed socat leaves its links behind, pointing at pseudo-terminals that no longer exist.
        File.Delete(device);
        File.Delete(feed);
        var info = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { $"pty,raw,echo=0,link={device}", $"pty,raw,echo=0,link={feed}" }) info.ArgumentList.Add(a);
        Process socat;
        try
        {
            socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("socat is not installed; run deploy/dev/test.sh (it installs it) or apt-get install socat", ex);
        }
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(device) && File.Exists(feed)))
        {
            if (socat.HasExited) throw new InvalidOperationException($"socat exited with {socat.ExitCode}: {socat.StandardError.ReadToEnd()}");
            if (watch.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("socat did not create its pseudo-terminals within 10 s");
            Thread.Sleep(10);
        }
        MakeRaw(feed);
        return new PtyPair(socat, directory);
    }

    /// <summary>
    /// socat creates a pty's link before it applies <c>raw,echo=0</c> to it, so a test that writes at once can still
    /// meet the default line discipline (ONLCR turned one CI run's "\r\n" into "\r\r\n"). Setting raw mode on the
    /// feed ourselves, and waiting for it, closes that window; the device end is the code under test's to set.
    /// </summary>
    private static void MakeRaw(string feed)
    {
        var info = new ProcessStartInfo("stty") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-F", feed, "raw", "-echo" }) info.ArgumentList.Add(a);
        using var stty = Process.Start(info) ?? throw new InvalidOperationException("stty did not start");
        var error = stty.StandardError.ReadToEnd();
        if (!stty.WaitForExit(10_000)) throw new TimeoutException($"stty -F {feed} raw did not finish within 10 s");
        if (stty.ExitCode != 0) throw new InvalidOperationException($"stty -F {feed} raw -echo failed with {stty.ExitCode}: {error}");
    }

    /// <summary>Opens the receiver's end for writing.</summary>
    public FileStream OpenFeed() => new(FeedPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);

    /// <summary>
    /// Writes <paramref name="bytes"/> into the feed at <paramref name="baud"/> (10 bits per byte: start, 8 data, stop),
    /// in slices of 10 ms, as a receiver on a UART would deliver them.
    /// </summary>
    public static async Task PlayAsync(Stream feed, ReadOnlyMemory<byte> bytes, int baud, CancellationToken cancellationToken)
    {
        var perSlice = Math.Max(1, baud / 10 / 100);
        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < bytes.Length; offset += perSlice)
        {
            var slice = bytes.Slice(offset, Math.Min(perSlice, bytes.Length - offset));
            await feed.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            var due = TimeSpan.FromSeconds((offset + slice.Length) * 10.0 / baud);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
        await feed.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops socat: both pseudo-terminals vanish, as an unplugged USB receiver does.</summary>
    public void Dispose()
    {
        try
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                _socat.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _socat.Dispose();
    }
}
