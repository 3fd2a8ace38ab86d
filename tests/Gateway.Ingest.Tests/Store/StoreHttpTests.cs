using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Ingest.Store;

namespace Gateway.Ingest.Tests.Store;

/// <summary>What each writer puts on the wire: path, query (precision=ms), credentials, gzip body; and how it reads answers.</summary>
public sealed class StoreHttpTests
{
    [Fact]
    public async Task InfluxV1_SendsDbRpPrecisionBasicAuthAndGzip()
    {
        await using var server = new OneShotHttpServer(204, "", null);
        using var writer = new InfluxV1Writer(server.Url, "fleet", "autogen", "ingest", "s3cret", gzip: true);
        var r = await writer.WriteAsync("m,gateway=a f=1 1\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Written, r.Outcome);
        var request = await server.Request;
        Assert.StartsWith("POST /write?db=fleet&precision=ms&rp=autogen ", request.Head, StringComparison.Ordinal);
        Assert.Contains("Authorization: Basic " + Convert.ToBase64String("ingest:s3cret"u8), request.Head, StringComparison.Ordinal);
        Assert.Contains("Content-Encoding: gzip", request.Head, StringComparison.Ordinal);
        Assert.Equal("m,gateway=a f=1 1\n", Gunzip(request.Body));
    }

    [Fact]
    public async Task InfluxV2_SendsBucketOrgTokenAndPrecision()
    {
        await using var server = new OneShotHttpServer(204, "", null);
        using var writer = new InfluxV2Writer(server.Url, "mission", "fleet", "tok-123", gzip: false);
        Assert.Equal(StoreWriteOutcome.Written, (await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None)).Outcome);
        var request = await server.Request;
        Assert.StartsWith("POST /api/v2/write?bucket=fleet&precision=ms&org=mission ", request.Head, StringComparison.Ordinal);
        Assert.Contains("Authorization: Token tok-123", request.Head, StringComparison.Ordinal);
        Assert.Equal("m f=1 1\n", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task VictoriaMetrics_UsesItsInfluxEndpoint()
    {
        await using var server = new OneShotHttpServer(204, "", null);
        using var writer = new VictoriaMetricsWriter(server.Url, "fleet");
        Assert.Equal(StoreWriteOutcome.Written, (await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None)).Outcome);
        Assert.StartsWith("POST /write?db=fleet&precision=ms ", (await server.Request).Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VictoriaMetrics_SendsABearerToken_WhenOneIsSet()
    {
        await using var server = new OneShotHttpServer(204, "", null);
        using var writer = new VictoriaMetricsWriter(server.Url, "fleet", bearerToken: "vm-tok");
        Assert.Equal(StoreWriteOutcome.Written, (await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None)).Outcome);
        Assert.Contains("Authorization: Bearer vm-tok", (await server.Request).Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_SendsAnEmptyAuthenticatedWrite_AndReportsARefusalAsUnauthorized()
    {
        await using var server = new OneShotHttpServer(401, """{"error":"authorization failed"}""", null);
        using var writer = new InfluxV1Writer(server.Url, "fleet", null, "ingest", "wrong") { CredentialsSource = "user 'ingest' with the password in /etc/p" };
        var r = await writer.ProbeAsync(CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Unauthorized, r.Outcome);
        Assert.Contains("refused user 'ingest' with the password in /etc/p (authorization failed)", r.Message, StringComparison.Ordinal);
        var request = await server.Request;
        Assert.Contains("Authorization: Basic ", request.Head, StringComparison.Ordinal);
        Assert.Empty(request.Body);
    }

    [Theory]
    [InlineData("""{"error":"partial write: field type conflict"}""", "partial write: field type conflict")]
    [InlineData("""{"code":"invalid","message":"unable to parse 'x'"}""", "unable to parse 'x'")]
    [InlineData("<html>proxy error</html>", "<html>proxy error</html>")]
    public async Task ErrorBodies_AreReadFromTheStoresJsonShapes(string body, string expected)
    {
        await using var server = new OneShotHttpServer(400, body, null);
        using var writer = new InfluxV1Writer(server.Url, "fleet");
        var r = await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Permanent, r.Outcome);
        Assert.Equal(expected, r.Message);
    }

    [Fact]
    public async Task RetryAfterHeader_InSeconds_IsHonoured()
    {
        await using var server = new OneShotHttpServer(429, "{}", "Retry-After: 12");
        using var writer = new InfluxV2Writer(server.Url, null, "fleet", "t");
        var r = await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Throttled, r.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(12), r.RetryAfter);
    }

    private static string Gunzip(byte[] body)
    {
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Accepts one HTTP/1.1 request on loopback, records it, and answers with a fixed status.</summary>
    private sealed class OneShotHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(20));

        public OneShotHttpServer(int status, string body, string? header)
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            Request = ServeAsync(status, body, header);
        }

        public Uri Url { get; }
        public Task<(string Head, byte[] Body)> Request { get; }

        private async Task<(string, byte[])> ServeAsync(int status, string body, string? header)
        {
            using var client = await _listener.AcceptTcpClientAsync(_cts.Token);
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            int headEnd;
            while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                buffer.AddRange(chunk.AsSpan(0, await stream.ReadAsync(chunk, _cts.Token)).ToArray());
            var head = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray());
            var length = int.Parse(head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            while (buffer.Count < headEnd + 4 + length)
                buffer.AddRange(chunk.AsSpan(0, await stream.ReadAsync(chunk, _cts.Token)).ToArray());
            var reply = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{(header is null ? "" : header + "\r\n")}Connection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), _cts.Token);
            return (head, buffer.GetRange(headEnd + 4, length).ToArray());
        }

        private static int IndexOf(List<byte> haystack, byte[] needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Count; i++)
                if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle)) return i;
            return -1;
        }

        public ValueTask DisposeAsync()
        {
            _listener.Dispose();
            _cts.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
