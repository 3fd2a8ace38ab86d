namespace Gateway.TestKit.Io;

/// <summary>
/// Runs a program's in-process entry point (arguments, standard output, standard error; returns the exit code) with
/// both outputs captured, as a test of a command line needs them: <c>CapturedRun.Run(GatewayCtl.Run, "ca", "init")</c>.
/// </summary>
public static class CapturedRun
{
    public static (int Code, string Output, string Error) Run(Func<string[], TextWriter, TextWriter, int> main, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(main);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = main(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
