using Gateway.Ingest.Topics;

namespace Gateway.Ingest.Tests.Payloads;

public sealed class FleetTopicTests
{
    [Theory]
    [InlineData("fleet/cp-alpha-01/telemetry", "cp-alpha-01")]
    [InlineData("fleet/a/telemetry", "a")]
    [InlineData("fleet/gw_7/telemetry", "gw_7")]
    public void TryGetTelemetryGateway_ValidTopic_ReturnsTheId(string topic, string expected)
    {
        Assert.True(FleetTopic.TryGetTelemetryGateway(topic, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("fleet/a/status")]
    [InlineData("fleet//telemetry")]
    [InlineData("fleet/a/b/telemetry")]
    [InlineData("other/a/telemetry")]
    [InlineData("fleet/A/telemetry")]
    [InlineData("fleet/has space/telemetry")]
    [InlineData("fleet/a,b=c/telemetry")]
    [InlineData("fleet/-lead/telemetry")]
    [InlineData("")]
    public void TryGetTelemetryGateway_OtherTopics_AreRejected(string topic)
    {
        Assert.False(FleetTopic.TryGetTelemetryGateway(topic, out _));
    }

    [Fact]
    public void TryGetTelemetryGateway_IdLongerThan64_IsRejected()
    {
        Assert.True(FleetTopic.TryGetTelemetryGateway($"fleet/{new string('a', 64)}/telemetry", out _));
        Assert.False(FleetTopic.TryGetTelemetryGateway($"fleet/{new string('a', 65)}/telemetry", out _));
    }

    [Theory]
    [InlineData("0a1b2c3d", true)]
    [InlineData("00000000", true)]
    [InlineData("ffffffff", true)]
    [InlineData("0A1B2C3D", false)] // the gateway reports lowercase; an uppercase id would be a second asset
    [InlineData("0a1b2c3", false)]
    [InlineData("0a1b2c3d4", false)]
    [InlineData("0a1b2c3g", false)]
    [InlineData("0a1b 2c3", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsTagId_OnlyEightLowercaseHexDigits(string? id, bool expected) => Assert.Equal(expected, FleetTopic.IsTagId(id));
}
