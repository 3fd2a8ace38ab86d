using Gateway.Cli;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Support;

/// <summary>Runs gatewayctl in-process with captured output (Gateway.Cli.Tests' CliRunner does the same for the unit tests).</summary>
public static class GatewayCtlRunner
{
    public static (int Code, string Output, string Error) Run(params string[] args) => CapturedRun.Run(GatewayCtl.Run, args);
}
