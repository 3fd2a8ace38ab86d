using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Mqtt.Transport;

namespace Gateway.Mqtt.Tests.Tls;

/// <summary>A certificate refused for its dates says whether the clock is the likelier culprit (a Pi has no battery clock).</summary>
public sealed class TlsClockAdviceTests
{
    private static X509Certificate2 Valid(DateTime from, DateTime to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=broker", key, HashAlgorithmName.SHA256).CreateSelfSigned(from, to);
    }

    [Fact]
    public void ClockBeforeNotBefore_SaysProbablyAClockProblem()
    {
        using var cert = Valid(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var advice = MqttTls.ClockAdvice(cert, new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc)); // a Pi restarted behind
        Assert.Contains("clock reads 2025-06-01 00:00:00Z", advice, StringComparison.Ordinal);
        Assert.Contains("probably a clock problem", advice, StringComparison.Ordinal);
    }

    [Fact]
    public void ClockLongAfterExpiry_SaysCheckTheClockFirst()
    {
        using var cert = Valid(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Contains("check the clock first", MqttTls.ClockAdvice(cert, new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc)), StringComparison.Ordinal);
    }

    [Fact]
    public void ClockJustAfterExpiry_SaysRenew()
    {
        using var cert = Valid(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var advice = MqttTls.ClockAdvice(cert, new DateTime(2027, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Contains("renew the certificate", advice, StringComparison.Ordinal);
        Assert.DoesNotContain("clock problem", advice, StringComparison.Ordinal);
    }
}
