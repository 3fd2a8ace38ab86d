using Gateway.Hardware.Simulation.I2c;

namespace Gateway.Hardware.Simulation.Tests.I2c;

public sealed class SimulatedI2cBusTests
{
    private sealed class Memory256 : I2cRegisterModel
    {
        public readonly byte[] Registers = new byte[256];
        protected override byte ReadRegister(byte register) => Registers[register];
        protected override void WriteRegister(byte register, byte value) => Registers[register] = value;
    }

    [Fact]
    public void Write_PointerThenData_AutoIncrements()
    {
        var bus = new SimulatedI2cBus(1);
        var model = new Memory256();
        bus.Attach(0x50, model);
        using var device = bus.CreateDevice(0x50);
        device.Write([0x10, 1, 2, 3]);
        Assert.Equal([1, 2, 3], model.Registers[0x10..0x13]);
    }

    [Fact]
    public void WriteRead_ReadsFromPointerWithAutoIncrementAndWrapsAt0xFF()
    {
        var bus = new SimulatedI2cBus(1);
        var model = new Memory256();
        model.Registers[0xFF] = 9;
        model.Registers[0x00] = 8;
        bus.Attach(0x50, model);
        using var device = bus.CreateDevice(0x50);
        var buffer = new byte[2];
        device.WriteRead([0xFF], buffer);
        Assert.Equal([9, 8], buffer);
        Assert.Equal(9, device.ReadRegister(0xFF));
    }

    [Fact]
    public void Transfer_NothingAttached_ThrowsIOExceptionNamingBusAndAddress()
    {
        var bus = new SimulatedI2cBus(3);
        using var device = bus.CreateDevice(0x40);
        var e = Assert.Throws<IOException>(() => device.Write([0]));
        Assert.Contains("i2c-3 address 0x40", e.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => device.Read(new byte[1]));
        Assert.Throws<IOException>(() => device.WriteRead([0], new byte[1]));
    }

    [Fact]
    public void Scan_ListsAttachedAddressesInOrder()
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(0x77, new Memory256());
        bus.Attach(0x40, new Memory256());
        Assert.Equal([0x40, 0x77], bus.Scan());
        Assert.Throws<InvalidOperationException>(() => bus.Attach(0x40, new Memory256()));
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x78)]
    [InlineData(-1)]
    public void CreateDevice_ReservedAddress_Throws(int address) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedI2cBus(1).CreateDevice(address));

    [Fact]
    public void DeviceDisposed_TransferThrowsObjectDisposed()
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(0x50, new Memory256());
        var device = bus.CreateDevice(0x50);
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.Write([0]));
    }
}
