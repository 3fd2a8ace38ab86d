using Gateway.Cli.Pki;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Commands;

/// <summary>
/// Runs a command body and turns the expected failures (bad input, a CA or a target in the wrong state) into one line
/// on stderr and exit code 1, so an engineer sees what to do instead of a stack trace.
/// </summary>
public static class CliErrors
{
    public static int Run(TextWriter error, Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception ex) when (ex is PkiException or ProvisioningException or IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine($"gatewayctl: {ex.Message}");
            return 1;
        }
    }

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PkiException or ProvisioningException or IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            await error.WriteLineAsync($"gatewayctl: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
