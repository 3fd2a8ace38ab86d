using System.Globalization;
using Gateway.Agent.Composition;
using Gateway.Agent.Profiles;
using Gateway.Devices.Bme280;
using Gateway.Devices.Ina219;
using Gateway.Devices.Sx1276;
using Gateway.Devices.Sysfs;
using Gateway.Hardware.Gpio;

namespace Gateway.Cli.Commands.Diag;

public enum ProbeStatus
{
    Found,
    Missing,
    Skipped,
}

/// <summary>One row of the diag table.</summary>
public sealed record ProbeResult(string Source, string Type, string Device, ProbeStatus Status, string ChipId, string Details);

/// <summary>
/// Probes each source's device without disturbing a running agent where it can: register reads only, a radio reset
/// only when the radio is not already receiving, GPIO lines read only when free.
/// </summary>
public sealed partial class DeviceProbe(HardwareAccess hardware, TimeSpan gpsListen)
{
    public async Task<IReadOnlyList<ProbeResult>> RunAsync(GatewayProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var results = new List<ProbeResult>();
        foreach (var source in profile.Sources) hardware.Prepare(source);
        foreach (var source in profile.Sources)
        {
            try
            {
                results.Add(await ProbeAsync(source, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
            {
                results.Add(new ProbeResult(source.Name, source.Type, DeviceOf(source), ProbeStatus.Missing, "-", ex.Message));
            }
        }
        foreach (var bus in profile.Sources.Select(BusOf).OfType<int>().Distinct().Order())
            results.Add(ScanBus(bus));
        return results;
    }

    private async ValueTask<ProbeResult> ProbeAsync(SourceProfile source, CancellationToken cancellationToken) => source switch
    {
        GpsSourceProfile gps => await ProbeGpsAsync(gps, cancellationToken).ConfigureAwait(false),
        Bme280SourceProfile b => ProbeBme280(b),
        Ina219SourceProfile n => ProbeIna219(n),
        LoraSourceProfile l => await ProbeLoraAsync(l, cancellationToken).ConfigureAwait(false),
        GpioInputSourceProfile g => ProbeInput(g),
        CpuTemperatureSourceProfile c => Row(c, ProbeStatus.Found, "-",
            string.Create(CultureInfo.InvariantCulture, $"{new ThermalZone(hardware.SysfsRoot(c.SysfsRoot), c.Zone).ReadCelsius():F1} °C")),
        Ds18b20SourceProfile d => await ProbeDs18b20Async(d, cancellationToken).ConfigureAwait(false),
        _ => Row(source, ProbeStatus.Skipped, "-", "synthetic source, no hardware"),
    };

    private async Task<ProbeResult> ProbeDs18b20Async(Ds18b20SourceProfile d, CancellationToken cancellationToken)
    {
        var celsius = await new W1Thermometer(hardware.W1Bus(d.SysfsRoot), d.DeviceId).ReadCelsiusAsync(TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return Row(d, ProbeStatus.Found, d.DeviceId[..2], string.Create(CultureInfo.InvariantCulture, $"{celsius:F3} °C, CRC ok"));
    }

    private ProbeResult ProbeBme280(Bme280SourceProfile b)
    {
        using var device = hardware.OpenI2c(b.Bus, b.Address);
        var id = device.ReadRegister((byte)Bme280Register.ChipId);
        return id == Bme280Driver.ExpectedChipId
            ? Row(b, ProbeStatus.Found, $"0x{id:X2}", "BME280")
            : Row(b, ProbeStatus.Missing, $"0x{id:X2}", $"not a BME280 (expected chip id 0x60; 0x56-0x58 is a BMP280)");
    }

    private ProbeResult ProbeIna219(Ina219SourceProfile n)
    {
        using var device = hardware.OpenI2c(n.Bus, n.Address);
        var driver = new Ina219Driver(device, n.Configuration, Ina219Calibration.Create(n.ShuntOhms, n.MaxCurrentAmps, n.Configuration.ShuntRange));
        // No reset: an agent may be using it. The part has no id register; a configuration with the unused bit 14
        // clear and a bus voltage register that answers is as much identity as it offers.
        var config = driver.ReadRegister(Ina219Register.Configuration);
        var bus = (driver.ReadRegister(Ina219Register.BusVoltage) >> 3) * Ina219Driver.BusLsbVolts;
        return (config & 0x4000) == 0
            ? Row(n, ProbeStatus.Found, $"config 0x{config:X4}", string.Create(CultureInfo.InvariantCulture, $"INA219, bus {bus:F2} V"))
            : Row(n, ProbeStatus.Missing, $"config 0x{config:X4}", "bit 14 of the configuration is set: not an INA219");
    }

    private ProbeResult ProbeInput(GpioInputSourceProfile g)
    {
        var chip = hardware.GpioChip(g.GpioChip);
        try
        {
            using var line = chip.RequestLines(new GpioRequestOptions([g.Options.Line], GpioDirection.Input, "gatewayctl-diag") { Bias = g.Options.Bias, ActiveLow = g.Options.ActiveLow });
            var state = line.GetValue(g.Options.Line);
            return Row(g, ProbeStatus.Found, "-", $"{chip.Name} line {g.Options.Line}: {(state ? "open/active" : "closed/normal")}");
        }
        catch (IOException ex) when (ex.Message.Contains("EBUSY", StringComparison.Ordinal))
        {
            return Row(g, ProbeStatus.Found, "-", $"{chip.Name} line {g.Options.Line}: in use (the agent holds it)");
        }
    }

    private ProbeResult ScanBus(int bus)
    {
        try
        {
            var found = hardware.I2cBus(bus).Scan();
            return new ProbeResult($"i2c-{bus}", "i2c-scan", $"/dev/i2c-{bus}", ProbeStatus.Found, "-",
                found.Count == 0 ? "no address answers" : "answers at " + string.Join(" ", found.Select(a => $"0x{a:X2}")));
        }
        catch (IOException ex)
        {
            return new ProbeResult($"i2c-{bus}", "i2c-scan", $"/dev/i2c-{bus}", ProbeStatus.Missing, "-", ex.Message);
        }
    }

    private static ProbeResult Row(SourceProfile source, ProbeStatus status, string chipId, string details) =>
        new(source.Name, source.Type, DeviceOf(source), status, chipId, details);

    private static int? BusOf(SourceProfile source) => source switch
    {
        Bme280SourceProfile b => b.Bus,
        Ina219SourceProfile n => n.Bus,
        _ => null,
    };

    private static string DeviceOf(SourceProfile source) => source switch
    {
        GpsSourceProfile g => g.Device,
        Bme280SourceProfile b => $"i2c-{b.Bus} 0x{b.Address:X2}",
        Ina219SourceProfile n => $"i2c-{n.Bus} 0x{n.Address:X2}",
        LoraSourceProfile l => $"spidev{l.SpiBus}.{l.ChipSelect}",
        GpioInputSourceProfile g => $"gpiochip{g.GpioChip} line {g.Options.Line}",
        CpuTemperatureSourceProfile c => $"thermal_zone{c.Zone}",
        Ds18b20SourceProfile d => d.DeviceId,
        _ => "-",
    };
}
