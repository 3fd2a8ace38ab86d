using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests;

/// <summary>Runs gatewayctl in-process with captured output.</summary>
internal static class CliRunner
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <c>gatewayctl COMMAND PROFILE OPTIONS</c> on a profile written from <paramref name="json"/> into a temporary
    /// directory (deleted afterwards): <c>RunOnProfile(["diag"], json, "--gps-seconds", "1")</c>.
    /// </summary>
    public static (int Code, string Output, string Error) RunOnProfile(string[] command, string json, params string[] options)
    {
        using var dir = new TempDirectory("cli-profile");
        var path = dir.File("profile.json");
        File.WriteAllText(path, json);
        return Run([.. command, path, .. options]);
    }
}
