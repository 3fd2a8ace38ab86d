using System.Globalization;
using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.Devices.Tags;

namespace Gateway.Agent.Composition;

/// <summary>
/// The LoRa tag receiver: SX1276 on SPI with NRESET/DIO0 on GPIO, the tag key file and the accepted-counter file in the
/// state directory (DESIGN §6), and a <c>tag_seen</c> event the first time a tag is heard at this gateway.
/// </summary>
internal static class LoraComposition
{
    /// <summary>The tag receiver for one <c>lora</c> source, with the tag key and frame counter files of the state
    /// directory.</summary>
    public static TagSource Create(LoraSourceProfile lora, HardwareAccess hardware, DeviceEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(lora);
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(environment);
        var counters = FrameCounterStore.Load(FrameCounterStore.DefaultPath(environment.StateDirectory));
        var authenticator = new TagAuthenticator(TagKeyStore.DefaultPath(environment.StateDirectory), counters);
        var source = new TagSource(lora.Name, hardware.OpenSpi(lora), new LoraLines(hardware.GpioChip(lora.GpioChip), lora.ResetLine, lora.Dio0Line),
            lora.Plan, authenticator, lora.HealthInterval);
        source.TagSeen += seen => environment.Events.TryPublish(TagSeenEvent(lora.Name, seen));
        return source;
    }

    /// <summary>The <c>tag_seen</c> event: the tag, where it was (when the frame has a position) and how well it was heard.</summary>
    public static AgentEvent TagSeenEvent(string sensor, TagSeen seen)
    {
        var frame = seen.Frame;
        var fields = new List<KeyValuePair<string, object>>
        {
            new("counter", (long)frame.Counter),
            new("battery_mv", (long)frame.BatteryMillivolts),
            new("rssi", seen.RssiDbm),
            new("snr", seen.SnrDb),
        };
        if (frame.HasPosition)
        {
            fields.Add(new("lat", frame.Latitude));
            fields.Add(new("lon", frame.Longitude));
        }
        var message = string.Create(CultureInfo.InvariantCulture, $"tag {frame.TagHex} seen for the first time at this gateway (RSSI {seen.RssiDbm:F0} dBm)");
        return new AgentEvent("tag_seen", sensor, message, seen.Timestamp) { Tag = frame.TagHex, Fields = fields };
    }
}
