using System.Net;
using System.Net.Http.Headers;
using Gateway.Ingest.Store;

namespace Gateway.Ingest.Tests;

public sealed class InfluxV1WriterTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, StoreWriteOutcome.Permanent)]
    [InlineData(HttpStatusCode.UnprocessableEntity, StoreWriteOutcome.Permanent)]
    [InlineData(HttpStatusCode.NotFound, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.Unauthorized, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.InternalServerError, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.BadGateway, StoreWriteOutcome.Retryable)]
    [InlineData(HttpStatusCode.TooManyRequests, StoreWriteOutcome.Throttled)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StoreWriteOutcome.Throttled)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, StoreWriteOutcome.TooLarge)]
    public void Classify_StatusCodes_MapToOutcomes(HttpStatusCode status, StoreWriteOutcome expected)
    {
        Assert.Equal(expected, InfluxV1Writer.Classify(status, "e", null, "fleet").Outcome);
    }

    [Fact]
    public void Classify_MissingDatabase_SaysHowToCreateIt()
    {
        var r = InfluxV1Writer.Classify(HttpStatusCode.NotFound, "database not found: \"fleet\"", null, "fleet");
        Assert.Contains("CREATE DATABASE \"fleet\"", r.Message);
    }

    [Fact]
    public void Classify_RetryAfter_IsHonoured()
    {
        var r = InfluxV1Writer.Classify(HttpStatusCode.TooManyRequests, "slow down", new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), "fleet");
        Assert.Equal(TimeSpan.FromSeconds(7), r.RetryAfter);
    }

    [Fact]
    public async Task Write_NothingListening_IsRetryableWithTheAddress()
    {
        var port = Gateway.TestKit.Io.FreePort.Next();
        using var writer = new InfluxV1Writer(new Uri($"http://127.0.0.1:{port}/"), "fleet", timeout: TimeSpan.FromSeconds(5));
        var r = await writer.WriteAsync("m f=1 1\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(StoreWriteOutcome.Retryable, r.Outcome);
        Assert.Contains($"127.0.0.1:{port}", r.Message);
    }
}
