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
}
