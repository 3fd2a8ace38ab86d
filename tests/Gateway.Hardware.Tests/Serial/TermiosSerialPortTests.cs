using System.Text;
using Gateway.Hardware.Serial;
using Gateway.TestKit.Io;

namespace Gateway.Hardware.Tests.Serial;

/// <summary>The real termios code over real pseudo-terminals (DESIGN §8); a test never waits more than a few seconds.</summary>
public sealed class TermiosSerialPortTests : IDisposable
{
    private readonly TempDirectory _dir = new("gw-pty");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Read_RawMode_DeliversBytesUnchanged()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600));
        await using var feed = pty.OpenFeed();
        // CR LF, a NUL and a byte above 0x7F must arrive as sent: no newline translation, no stripping (raw mode).
        byte[] sent = [.. Encoding.ASCII.GetBytes("$GPGGA,1*00\r\n"), 0, 0xFF, (byte)'\r'];
        await feed.WriteAsync(sent, _timeout.Token);
        Assert.Equal(sent, await ReadExactlyAsync(port, sent.Length));
    }

    [Fact]
    public async Task Write_ReachesTheReceiverSide()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 115200));
        await using var feed = pty.OpenFeed();
        await port.WriteAsync("$PMTK220,1000*1F\r\n"u8.ToArray(), _timeout.Token);
        var buffer = new byte[18];
        await feed.ReadExactlyAsync(buffer, _timeout.Token);
        Assert.Equal("$PMTK220,1000*1F\r\n", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public void Open_MissingDevice_NamesPathAndTheUartOverlay()
    {
        var ex = Assert.Throws<IOException>(() => TermiosSerialPort.Open(new SerialPortSettings("/dev/ttyNOPE9", 9600)));
        Assert.Contains("/dev/ttyNOPE9: open failed with ENOENT", ex.Message);
        Assert.Contains("enable_uart=1", ex.Message);
    }

    [Fact]
    public void Open_NotATerminal_SaysTheDeviceIsOfTheWrongKind()
    {
        var ex = Assert.Throws<IOException>(() => TermiosSerialPort.Open(new SerialPortSettings("/dev/null", 9600)));
        Assert.Contains("/dev/null: tcgetattr failed with ENOTTY", ex.Message);
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(9601)]
    [InlineData(1_000_000)]
    public void Open_NonStandardBaud_RefusedBeforeOpening(int baud)
    {
        var ex = Assert.Throws<ArgumentException>(() => TermiosSerialPort.Open(new SerialPortSettings("/dev/null", baud)));
        Assert.Contains($"{baud} baud is not a standard rate", ex.Message);
    }

    [Theory]
    [InlineData(4800)]
    [InlineData(9600)]
    [InlineData(38400)]
    [InlineData(921600)]
    public async Task Open_EveryStandardBaud_Configures(int baud)
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, baud));
        Assert.True(port.IsOpen);
    }

    [Fact]
    public async Task Read_Silence_TimesOutNamingBaudAndWiring()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600) { ReadTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<IOException>(async () => await port.ReadAsync(new byte[16], _timeout.Token));
        Assert.Contains("no data for 0.3 s", ex.Message);
        Assert.Contains("9600", ex.Message);
    }

    [Fact]
    public async Task Read_Cancelled_EndsTheWaitAtOnce()
    {
        using var pty = PtyPair.Start(_dir.Path);
        // A read timeout far beyond the test's bound: only the cancellation's wake can end this read in time.
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600) { ReadTimeout = TimeSpan.FromHours(1) });
        using var cts = new CancellationTokenSource();
        var read = port.ReadAsync(new byte[16], cts.Token).AsTask();
        Assert.False(read.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Read_DisposedWhileWaiting_ReturnsZeroAtOnce()
    {
        using var pty = PtyPair.Start(_dir.Path);
        var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600) { ReadTimeout = TimeSpan.FromHours(1) });
        var read = port.ReadAsync(new byte[16], _timeout.Token).AsTask();
        await port.DisposeAsync();
        Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Read_BytesAlreadyQueued_CompletesWithoutWaiting()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600));
        await using var feed = pty.OpenFeed();
        await feed.WriteAsync("AB"u8.ToArray(), _timeout.Token); // one write: socat relays both bytes together
        var one = new byte[1];
        Assert.Equal(1, await port.ReadAsync(one, _timeout.Token));
        var second = port.ReadAsync(one, _timeout.Token);
        Assert.True(second.IsCompletedSuccessfully, "a queued byte must be read synchronously, without a thread switch");
        Assert.Equal(1, await second);
        Assert.Equal((byte)'B', one[0]);
    }

    [Fact]
    public async Task Write_TransmitQueueFull_WaitsForRoom_ThenDeliversEverything()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 115200));
        await using var feed = pty.OpenFeed();
        // Far more than the pseudo-terminals and socat buffer while nobody reads the receiver's side.
        var sent = new byte[1 << 20];
        new Random(42).NextBytes(sent);
        var write = port.WriteAsync(sent, _timeout.Token).AsTask();
        Assert.False(write.IsCompleted, "1 MiB cannot fit in the transmit queue");
        var received = new byte[sent.Length];
        await feed.ReadExactlyAsync(received, _timeout.Token);
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Write_TransmitQueueFull_Cancelled_EndsTheWaitAtOnce()
    {
        using var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 115200));
        using var cts = new CancellationTokenSource();
        var write = port.WriteAsync(new byte[1 << 20], cts.Token).AsTask();
        Assert.False(write.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Unplugged_ReadFails_ThenReopensWhenThereceiverIsBack()
    {
        var pty = PtyPair.Start(_dir.Path);
        await using var port = TermiosSerialPort.Open(new SerialPortSettings(pty.DevicePath, 9600));
        pty.Dispose(); // unplug
        var lost = await Assert.ThrowsAsync<IOException>(async () => await port.ReadAsync(new byte[16], _timeout.Token));
        Assert.Contains(pty.DevicePath, lost.Message);
        Assert.Contains("opened again on the next read", lost.Message);
        Assert.False(port.IsOpen);

        // Still unplugged: the next read says the device is missing.
        await Assert.ThrowsAsync<IOException>(async () => await port.ReadAsync(new byte[16], _timeout.Token));

        using var back = PtyPair.Start(_dir.Path); // plugged back under the same name
        // ReadAsync opens and configures the port before it returns, so bytes fed from here on are not flushed away.
        var read = port.ReadAsync(new byte[64], _timeout.Token).AsTask();
        Assert.True(port.IsOpen);
        await using (var feed = back.OpenFeed()) await feed.WriteAsync("$GPZDA*00\r\n"u8.ToArray(), _timeout.Token);
        Assert.True(await read > 0);
        Assert.Equal(1, port.Reopens);
    }

    private async Task<byte[]> ReadExactlyAsync(SerialDevice port, int count)
    {
        var result = new List<byte>();
        var buffer = new byte[256];
        while (result.Count < count)
        {
            var n = await port.ReadAsync(buffer, _timeout.Token);
            result.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return [.. result];
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _dir.Dispose();
    }
}
