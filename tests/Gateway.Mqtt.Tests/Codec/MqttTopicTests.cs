using Gateway.Mqtt.Codec;

namespace Gateway.Mqtt.Tests.Codec;

public class MqttTopicTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("/")]
    [InlineData("fleet/gw-01/telemetry")]
    [InlineData("a//b")]
    [InlineData("température/😀")]
    [InlineData("$SYS/x")]
    public void NameError_ValidTopicName_IsNull(string topic) => Assert.Null(MqttTopic.NameError(topic));

    [Theory]
    [InlineData("")]
    [InlineData("a/+")]
    [InlineData("#")]
    [InlineData("a/#/b")]
    [InlineData("a\0")]
    public void NameError_InvalidTopicName_SaysWhy(string topic) => Assert.NotNull(MqttTopic.NameError(topic));

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/#")]
    [InlineData("+/+/c")]
    [InlineData("/+")]
    [InlineData("a/+/#")]
    [InlineData("fleet/+/telemetry")]
    public void FilterError_ValidFilter_IsNull(string filter) => Assert.Null(MqttTopic.FilterError(filter));

    [Theory]
    [InlineData("")]
    [InlineData("a#")]
    [InlineData("a/#/b")]
    [InlineData("#/")]
    [InlineData("a+")]
    [InlineData("a/b+/c")]
    [InlineData("++")]
    [InlineData("a\0/#")]
    public void FilterError_InvalidFilter_SaysWhy(string filter) => Assert.NotNull(MqttTopic.FilterError(filter));

    [Fact]
    public void NameError_LoneSurrogate_SaysWhy()
    {
        Assert.NotNull(MqttTopic.NameError(((char)0xDC00).ToString()));
        Assert.NotNull(MqttTopic.FilterError("a/" + (char)0xD800));
        Assert.Null(MqttTopic.NameError("\ud83d\ude00"));
    }

    [Fact]
    public void ValidateTopicName_Invalid_ThrowsArgumentExceptionNamingParameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => MqttTopic.ValidateTopicName("a/#", "topic"));
        Assert.Equal("topic", ex.ParamName);
        Assert.Contains("wildcard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameError_Over65535Utf8Bytes_SaysWhy()
    {
        // 21,846 three-byte characters = 65,538 bytes.
        Assert.NotNull(MqttTopic.NameError(new string('€', 21_846)));
        Assert.Null(MqttTopic.NameError(new string('€', 21_845)));
    }
}
