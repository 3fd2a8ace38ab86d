namespace Gateway.Devices.Tests.Support;

/// <summary>Every value a register byte can hold, for the round-trip theories of each device's register structs (STYLE.md habit 3).</summary>
public static class RegisterBytes
{
    public static TheoryData<int> All()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < 256; i++) data.Add(i);
        return data;
    }
}
