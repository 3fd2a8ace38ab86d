using System.Diagnostics;
using Gateway.TestKit.Data;

namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The Debian packages of deploy/package/build.sh, built once per test run. deploy/dev/test.sh builds them before any
/// test starts and passes their folder in GATEWAY_PACKAGES (a native AOT cross-build takes minutes: inside a test it
/// would count against the hang timeout); without it the first test that needs one runs build.sh itself, which does
/// nothing when the package is up to date with the sources. gatewayctl and gateway-ingest are packaged from the Release
/// build the tests run on (build.sh --from-build, seconds): their tests check the packaging, the native AOT and
/// self-contained publishes are the agent's (same build.sh code) and are checked by hand (docs/engineers.md, Packages).
/// </summary>
internal static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);


    /// <summary>The path of PACKAGE_VERSION_ARCH.deb, building it first when no GATEWAY_PACKAGES folder was given.</summary>
    public static async Task<string> GetAsync(string package, string arch)
    {
        await Gate.WaitAsync();
        try
        {
            var dir = Environment.GetEnvironmentVariable("GATEWAY_PACKAGES");
            if (string.IsNullOrEmpty(dir))
            {
                var fromBuild = FromBuild(package);
                dir = Path.Combine(RepositoryRoot.Path, "artifacts", fromBuild ? "packages-from-build" : "packages");
                var args = new List<string> { Path.Combine(RepositoryRoot.Path, "deploy/package/build.sh"), "--out", dir, "--package", package, "--arch", arch };
                if (fromBuild) args.Add("--from-build");
                var (code, output) = await RunAsync("bash", args, RepositoryRoot.Path);
                Assert.True(code == 0, $"deploy/package/build.sh {string.Join(' ', args.Skip(1))} failed (exit {code}):\n{output}");
            }
            var debs = Directory.Exists(dir) ? Directory.GetFiles(dir, $"{package}_*_{arch}.deb") : [];
            Assert.True(debs.Length == 1, $"expected one {package}_*_{arch}.deb in {dir} (GATEWAY_PACKAGES), found {debs.Length}; build it with deploy/package/build.sh --package {package} --arch {arch}");
            return debs[0];
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>lintian as <c>build.sh --lintian</c> runs it (the overrides file says why each suppressed tag does not apply).</summary>
    public static async Task AssertLintianFindsNoErrorAsync(params string[] debs)
    {
        var (code, output) = await RunAsync("lintian", ["--fail-on", "error", "--suppress-tags-from-file",
            Path.Combine(RepositoryRoot.Path, "deploy/package/lintian-overrides"), .. debs]);
        Assert.True(code == 0, $"lintian found errors in {string.Join(", ", debs.Select(Path.GetFileName))}:\n{output}");
        Assert.DoesNotContain("E: ", output);
    }

    /// <summary>Whether the tests package <paramref name="package"/> from the Release build (see the class summary).</summary>
    public static bool FromBuild(string package) => package is "gatewayctl" or "gateway-ingest";

    /// <summary>Runs a command to its end; returns the exit code and stdout+stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
