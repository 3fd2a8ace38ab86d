namespace Gateway.Cli.Provisioning;

/// <summary>A provisioning, status or logs step that failed; the message names the step, the target and what to do.</summary>
public sealed class ProvisioningException(string message) : Exception(message);
