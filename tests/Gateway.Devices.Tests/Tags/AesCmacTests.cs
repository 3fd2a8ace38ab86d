using Gateway.Devices.Tags;
using Gateway.Hardware.Simulation.Tags;

namespace Gateway.Devices.Tests.Tags;

/// <summary>RFC 4493 §4 test vectors (key 2b7e1516..., messages of 0, 16, 40 and 64 bytes).</summary>
public sealed class AesCmacTests
{
    private static readonly byte[] Key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
    private const string M64 = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    public static TheoryData<int, string> Vectors => new()
    {
        { 0, "bb1d6929e95937287fa37d129b756746" },
        { 16, "070a16b46b4d4144f79bdd9dd04a287c" },
        { 40, "dfa66747de9ae63030ca32611497c827" },
        { 64, "51f0bebf7e3b9d92fc49741779363cfe" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_Rfc4493Vector_MatchesExpectedMac(int length, string expected)
    {
        var message = Convert.FromHexString(M64)[..length];
        Assert.Equal(expected, Convert.ToHexStringLower(AesCmac.Compute(Key, message)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_ReusedInstance_GivesTheSameMacs(int length, string expected)
    {
        using var cmac = new AesCmac(Key);
        var mac = new byte[16];
        cmac.Compute(Convert.FromHexString(M64)[..length], mac);
        cmac.Compute(Convert.FromHexString(M64)[..length], mac);
        Assert.Equal(expected, Convert.ToHexStringLower(mac));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void SimulationsIndependentCmac_PassesTheSameVectors(int length, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(SimulatedTagFrame.Cmac(Key, Convert.FromHexString(M64)[..length])));

    [Fact]
    public void BothImplementations_AgreeOnEveryLengthUpTo100()
    {
        var message = new byte[100];
        new Random(7).NextBytes(message);
        for (var n = 0; n <= message.Length; n++)
            Assert.Equal(SimulatedTagFrame.Cmac(Key, message.AsSpan(0, n)), AesCmac.Compute(Key, message.AsSpan(0, n)));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(32)]
    public void Create_WrongKeyLength_Throws(int length) => Assert.Throws<ArgumentException>(() => new AesCmac(new byte[length]));
}
