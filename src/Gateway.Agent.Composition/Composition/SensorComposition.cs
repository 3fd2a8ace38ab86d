using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Ina219;
using Gateway.Devices.Sysfs;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>INA219, GPIO inputs (with door/tamper events) and the sysfs sensors.</summary>
internal static class SensorComposition
{
    /// <summary>The driver for one INA219, GPIO-input or sysfs source (the other types have their own composition).</summary>
    public static ReadingSource Create(SourceProfile source, HardwareAccess hardware, DeviceEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(environment);
        return source switch
        {
            Ina219SourceProfile n => new Ina219Source(n.Name, hardware.OpenI2c(n.Bus, n.Address), n.Configuration,
                Ina219Calibration.Create(n.ShuntOhms, n.MaxCurrentAmps, n.Configuration.ShuntRange), n.Interval),
            GpioInputSourceProfile g => Input(g, hardware, environment),
            CpuTemperatureSourceProfile c => new CpuTemperatureSource(c.Name, new ThermalZone(hardware.SysfsRoot(c.SysfsRoot), c.Zone), c.Interval),
            Ds18b20SourceProfile d => new Ds18b20Source(d.Name, new W1Thermometer(hardware.W1Bus(d.SysfsRoot), d.DeviceId), d.Interval),
            _ => throw new InvalidOperationException($"No driver for source type '{source?.Type}'."),
        };
    }

    private static DigitalInputSource Input(GpioInputSourceProfile g, HardwareAccess hardware, DeviceEnvironment environment)
    {
        var input = new DigitalInputSource(g.Name, hardware.GpioChip(g.GpioChip), g.Options);
        input.Changed += change => environment.Events.TryPublish(InputEvent(change));
        return input;
    }

    /// <summary>An alarm input's event: kind door/tamper/..., "opened"/"closed", the state and alarm flag as fields.</summary>
    public static AgentEvent InputEvent(InputChanged change) =>
        new(change.Kind, change.Input, $"{change.Kind} '{change.Input}' {(change.State ? "opened" : "closed")}", change.Timestamp)
        {
            Fields = [new("state", change.State), new("alarm", true)],
        };
}
