using System.Globalization;

namespace Gateway.Hardware.OneWire;

/// <summary>
/// w1_therm through sysfs under a root (<c>/sys</c> on a gateway, a fake tree in tests):
/// <c>{root}/bus/w1/devices/{id}</c> links to <c>{root}/devices/w1_bus_masterN/{id}</c>, whose parent holds
/// <c>therm_bulk_read</c>.
/// </summary>
/// <remarks>
/// The kernel sleeps in the caller's thread for every conversion it runs through sysfs (drivers/w1/slaves/w1_therm.c:
/// <c>convert_t</c> in a <c>w1_slave</c> read, <c>trigger_bulk_read</c> in a <c>therm_bulk_read</c> write, both
/// <c>msleep_interruptible(t_conv)</c>, up to 750 ms). Those two calls therefore run on a dedicated thread, never on
/// a pool thread; one bulk trigger converts every thermometer of the bus at once. A read after a bulk conversion only
/// reads the scratchpad (a few milliseconds of bus time) and runs inline. Only the w1 netlink connector
/// (Documentation/w1/w1-netlink.rst) could convert with no thread asleep at all.
/// </remarks>
/// <param name="sysfsRoot">The directory that stands for <c>/sys</c>.</param>
public sealed class SysfsW1Bus(string sysfsRoot) : W1Bus
{
    /// <summary>therm_bulk_read_store accepts exactly sizeof("trigger") bytes: the word and one more, the newline.</summary>
    private const string TriggerCommand = "trigger\n";

    /// <summary>The directory that stands for <c>/sys</c>.</summary>
    public string Root { get; } = string.IsNullOrEmpty(sysfsRoot) ? throw new ArgumentException("A sysfs root is required.", nameof(sysfsRoot)) : sysfsRoot;

    /// <inheritdoc/>
    public override string SlavePath(string deviceId) => Path.Combine(DeviceDirectory(deviceId), "w1_slave");

    /// <inheritdoc/>
    public override bool Exists(string deviceId) => Directory.Exists(DeviceDirectory(deviceId));

    /// <inheritdoc/>
    public override bool HasBulkRead(string deviceId) => BulkReadPath(deviceId) is { } path && File.Exists(path);

    /// <inheritdoc/>
    public override ValueTask TriggerBulkReadAsync(string deviceId, CancellationToken cancellationToken)
    {
        var path = BulkReadPath(deviceId) ?? throw new IOException($"{DeviceDirectory(deviceId)} has no bus master with therm_bulk_read");
        return new ValueTask(OnOwnThread(() => { File.WriteAllText(path, TriggerCommand); return true; }, cancellationToken));
    }

    /// <inheritdoc/>
    public override int ReadBulkState(string deviceId)
    {
        var path = BulkReadPath(deviceId) ?? throw new IOException($"{DeviceDirectory(deviceId)} has no bus master with therm_bulk_read");
        var text = File.ReadAllText(path).Trim();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var state) && state is >= -1 and <= 1
            ? state
            : throw new IOException($"{path} holds '{(text.Length > 20 ? text[..20] : text)}', not -1, 0 or 1");
    }

    /// <inheritdoc/>
    public override TimeSpan ConversionTime(string deviceId)
    {
        var directory = DeviceDirectory(deviceId);
        if (ReadInteger(Path.Combine(directory, "conv_time")) is > 0 and var ms) return TimeSpan.FromMilliseconds(ms);
        return Ds18b20ConversionTime(ReadInteger(Path.Combine(directory, "resolution")) ?? 12);
    }

    /// <inheritdoc/>
    public override ValueTask<string> ReadSlaveAsync(string deviceId, CancellationToken cancellationToken)
    {
        var path = SlavePath(deviceId);
        // After a bulk conversion the read only fetches the scratchpad; otherwise the kernel converts inside read(2).
        return HasBulkRead(deviceId) && ReadBulkState(deviceId) == 1
            ? ValueTask.FromResult(File.ReadAllText(path))
            : new ValueTask<string>(OnOwnThread(() => File.ReadAllText(path), cancellationToken));
    }

    private string DeviceDirectory(string deviceId) => Path.Combine(Root, "bus", "w1", "devices", deviceId);

    /// <summary>The bus master's therm_bulk_read, found through the device's link into <c>devices/w1_bus_masterN/</c>.</summary>
    private string? BulkReadPath(string deviceId)
    {
        var device = new DirectoryInfo(DeviceDirectory(deviceId));
        var target = device.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device.FullName;
        return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(target)) is { } master ? Path.Combine(master, "therm_bulk_read") : null;
    }

    private static int? ReadInteger(string path) =>
        File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Runs a call the kernel may sleep in on a thread of its own, so the thread pool never waits on a conversion.</summary>
    private static Task<T> OnOwnThread<T>(Func<T> call, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(call, cancellationToken, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
}
