using System.Reflection;
using System.Text.Json;

namespace Gateway.Agent.Status;

/// <summary>
/// The retained <c>fleet/{gateway}/status</c> messages (DESIGN §4.3): a JSON birth ("online") published after every
/// connection, and "offline" both as the MQTT will (the broker publishes it if the gateway vanishes) and explicitly on
/// a clean stop (a DISCONNECT suppresses the will, so the agent must say it itself).
/// </summary>
public static class StatusMessages
{
    public static string Topic(string gatewayId) => $"fleet/{gatewayId}/status";

    public static byte[] Birth(string gatewayId, string profile, string bootId, DateTimeOffset started) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["state"] = "online",
            ["gateway"] = gatewayId,
            ["version"] = Version,
            ["profile"] = profile,
            ["boot_id"] = bootId,
            ["started"] = started.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, AgentJson.Default.DictionaryStringString);

    public static byte[] Offline(string gatewayId, string reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["state"] = "offline",
            ["gateway"] = gatewayId,
            ["reason"] = reason,
        }, AgentJson.Default.DictionaryStringString);

    public static string Version { get; } =
        typeof(StatusMessages).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// The kernel's id for this boot (<c>/proc/sys/kernel/random/boot_id</c>): monotonic timestamps are only comparable
    /// within one boot, so the id tells the central side when they restart.
    /// </summary>
    public static string ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Guid.NewGuid().ToString();
        }
    }
}
