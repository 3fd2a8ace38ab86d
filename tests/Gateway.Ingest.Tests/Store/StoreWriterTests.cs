using System.Net;
using Gateway.Ingest.Store;
using Gateway.TestKit.Io;

namespace Gateway.Ingest.Tests.Store;

public sealed class StoreWriterTests
{
    private static readonly Uri Url = new("http://127.0.0.1:1/");

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, StoreWriteOutcome.Permanent)]
    [InlineData(HttpStatusCode.UnprocessableEntity, StoreWriteOutcome.Permanent)]
    [InlineData(HttpStatusCode.NotFound, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.Unauthorized, StoreWriteOutcome.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, StoreWriteOutcome.Unauthorized)]
    [InlineData(HttpStatusCode.InternalServerError, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.BadGateway, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.TooManyRequests, StoreWriteOutcome.Throttled)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StoreWriteOutcome.Throttled)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, StoreWriteOutcome.TooLarge)]
    public void Classify_StatusCodes_MapToOutcomes_ForEveryStoreKind(HttpStatusCode status, StoreWriteOutcome expected)
    {
        using var v1 = new InfluxV1Writer(Url, "fleet");
        using var v2 = new InfluxV2Writer(Url, "org", "fleet", "token");
        using var vm = new VictoriaMetricsWriter(Url, "fleet");
        Assert.Equal(expected, v1.Classify(status, "e", null).Outcome);
        Assert.Equal(expected, v2.Classify(status, "e", null).Outcome);
        Assert.Equal(expected, vm.Classify(status, "e", null).Outcome);
    }

    [Fact]
    public void Classify_MissingDatabaseOrBucket_SaysHowToCreateIt()
    {
        using var v1 = new InfluxV1Writer(Url, "fleet");
        using var v2 = new InfluxV2Writer(Url, null, "fleetb", "token");
        Assert.Contains("CREATE DATABASE \"fleet\"", v1.Classify(HttpStatusCode.NotFound, "database not found: \"fleet\"", null).Message);
        Assert.Contains("influx bucket create -n fleetb", v2.Classify(HttpStatusCode.NotFound, "bucket not found", null).Message);
    }

    [Fact]
    public void Classify_RetryAfter_IsKept()
    {
        using var v1 = new InfluxV1Writer(Url, "fleet");
        Assert.Equal(TimeSpan.FromSeconds(7), v1.Classify(HttpStatusCode.TooManyRequests, "slow down", TimeSpan.FromSeconds(7)).RetryAfter);
    }

    [Fact]
    public async Task Write_NothingListening_IsRetryableWithTheAddress()
    {
        var port = FreePort.Next();
        using var writer = new InfluxV1Writer(new Uri($"http://127.0.0.1:{port}/"), "fleet", timeout: TimeSpan.FromSeconds(5));
        var r = await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Retryable, r.Outcome);
        Assert.Contains($"127.0.0.1:{port}", r.Message);
    }
}
