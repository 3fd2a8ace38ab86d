using Gateway.Agent.Profiles;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// <c>gatewayctl provision</c>: check the target, plan, apply, start. Every step is idempotent and the plan only sends
/// what differs, so running it twice changes nothing the second time and a run cut by a bad link is finished by
/// running it again.
/// </summary>
public sealed partial class Provisioner(ProvisionRequest request, TextWriter output)
{
    public const int Steps = 5;

    /// <summary>Runs every step; returns 0 on success. Failures throw <see cref="ProvisioningException"/> naming the step.</summary>
    public async Task<int> RunAsync()
    {
        var root = NormalizeRoot(request.Root);
        var local = LocalInputs.Load(request);
        Step(1, $"profile {local.Profile.GatewayId} ({Path.GetFileName(request.ProfilePath)}): {local.Describe()}");

        var ssh = new SshTarget(request.Target, request.SshConfig);
        await using var sshScope = ssh.ConfigureAwait(false);
        Step(2, $"checking {request.Target} (root {root})");
        var probeRun = await ssh.RunAsync(RemoteScripts.Probe, [root, TargetLayout.AgentDir, TargetLayout.Profile, TargetLayout.TlsDir,
            TargetLayout.UnitFile, TargetLayout.WantsLink, TargetLayout.ChronyConf, TargetLayout.ChronyDropIn, TargetLayout.PackageCache,
            "/boot/firmware/config.txt", "/boot/firmware/cmdline.txt", "/boot/config.txt", "/boot/cmdline.txt"],
            null, null, request.StepTimeout).ConfigureAwait(false);
        if (probeRun.ExitCode != 0)
            throw new ProvisioningException($"step 2: checking {request.Target} failed (exit {probeRun.ExitCode}): {probeRun.Error.Trim()}");
        var probe = ProbeResult.Parse(probeRun.Output);
        if (probe.Get("passwd") != "yes")
            throw new ProvisioningException($"step 2: {(root == "/" ? "" : root)}/etc/passwd does not exist on {request.Target}; --root must point at a root file system (an image's /)");
        var desired = local.DesiredItems(probe, out var bootNotes);
        var plan = InstallPlan.Create(desired, probe, [TargetLayout.AgentDir]);
        CheckTarget(probe, local, plan);

        Step(3, plan.Changes.Count == 0
            ? $"files: all {plan.Unchanged} up to date"
            : $"files: {plan.Changes.Count} to change ({plan.Bytes / 1024} KiB), {plan.Unchanged} up to date");
        foreach (var note in bootNotes) Detail(note);

        Step(4, "user, groups, files");
        var changed = plan.Changes.Count > 0;
        using (var tar = plan.ToTar())
        {
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var apply = await ssh.RunAsync(RemoteScripts.Apply, [root, stamp], tar, line =>
            {
                Detail(line);
                if (line.StartsWith("created", StringComparison.Ordinal) || line.StartsWith("added", StringComparison.Ordinal)) changed = true;
            }, request.StepTimeout).ConfigureAwait(false);
            if (apply.ExitCode != 0)
                throw new ProvisioningException($"step 4: installing on {request.Target} failed (exit {apply.ExitCode}): {apply.Error.Trim()}. Fix that and run provision again; finished parts are kept");
        }
        if (!changed) Detail("nothing changed");
        if (plan.Changes.Any(c => c.Kind == ItemKind.Boot))
            Detail("the boot configuration changed: reboot the gateway for the overlays to take effect (sudo reboot)");

        return await StartAsync(ssh, probe, root, changed).ConfigureAwait(false);
    }

    private async Task<int> StartAsync(SshTarget ssh, ProbeResult probe, string root, bool changed)
    {
        if (!probe.SystemdRunning)
        {
            Step(5, root == "/"
                ? $"service: {request.Target} has no running systemd (/run/systemd/system is missing), so the unit is installed and enabled but not started; it starts at boot"
                : $"service: installed into the image at {root}, enabled for multi-user.target; it starts when the image boots");
            return 0;
        }
        Step(5, $"service: {(changed ? "restarting" : "checking")} {TargetLayout.Service} and waiting up to {request.BirthTimeout.TotalSeconds:0} s for its birth message");
        var run = await ssh.RunAsync(RemoteScripts.Start, [changed ? "1" : "0", ((int)request.BirthTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            null, Detail, request.BirthTimeout + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        if (run.ExitCode != 0)
            throw new ProvisioningException($"step 5: {TargetLayout.Service} did not publish its birth message within {request.BirthTimeout.TotalSeconds:0} s; its status and journal are above. " +
                "Common causes: the broker is unreachable from the gateway (check broker.host in the profile), the certificate is not from the broker's CA, or a device in the profile is missing (reboot after overlay changes)");
        output.WriteLine($"done: {request.Target} is running {TargetLayout.Service} and has published its birth message");
        return 0;
    }

    private void CheckTarget(ProbeResult probe, LocalInputs local, InstallPlan plan)
    {
        var arch = TargetArch(probe.Get("arch"), request.Root, request.Arch);
        Detail($"{probe.Get("os")}, {arch}, {probe.DiskFreeBytes / (1024 * 1024)} MiB free, .NET runtimes:{(probe.Get("dotnet_runtimes").Trim().Length == 0 ? " none" : " " + probe.Get("dotnet_runtimes").Trim())}, systemd {probe.Get("systemd")}");
        if (local.PackageArch is { } debArch)
        {
            if (DebianArch(arch) is not { } targetDeb || targetDeb != debArch)
                throw new ProvisioningException($"step 2: {Path.GetFileName(request.PackagePath)} is built for {debArch} but {request.Target}{(request.Root == "/" ? "" : $" (image {request.Root})")} is {arch}" +
                    $" ({DebianArch(arch) ?? "no Debian architecture we build"}); build the right one with `deploy/package/build.sh --package gateway-agent --arch {DebianArch(arch) ?? "arm64"}`" +
                    (request.Root != "/" && request.Arch is null ? ", or pass --arch when the image is for another architecture than the SSH host" : ""));
            // dpkg keeps the old and the new files side by side while it unpacks, and the installed program is about
            // three times the compressed package.
            const long DpkgMargin = 32L * 1024 * 1024;
            var need = plan.Bytes * 4 + DpkgMargin;
            if (probe.DiskFreeBytes >= 0 && probe.DiskFreeBytes < need)
                throw new ProvisioningException($"step 2: {request.Target} has {probe.DiskFreeBytes / (1024 * 1024)} MiB free; installing the package needs {need / (1024 * 1024)} MiB. " +
                    "Free space (journalctl --vacuum-size=50M, apt clean) and run provision again; nothing was changed");
            return;
        }
        if (probe.Get("legacy_dirs") is { Length: > 0 } legacy)
            throw new ProvisioningException($"step 2: {request.Target} still has gateway-agent 0.1's layout ({legacy}), whose journal may hold unsent readings; " +
                $"provision it once with --package (the package moves the journal, the keys and the profile to {TargetLayout.StateDir} and {TargetLayout.ConfigDir}), " +
                "or move them there by hand with the agent stopped; nothing was changed");
        if (local.RuntimeIdentifier is { } rid && Rid(arch) is { } targetRid && rid != targetRid)
            throw new ProvisioningException($"step 2: the agent in {request.AgentDir} is built for {rid} but {request.Target} is {arch} ({targetRid}); publish it with `dotnet publish src/Gateway.Agent -c Release -r {targetRid} --self-contained`");
        if (!local.SelfContained && !probe.Get("dotnet_runtimes").Split(' ').Any(v => v.StartsWith($"{local.RuntimeMajor}.", StringComparison.Ordinal)))
            Detail($"warning: no .NET {local.RuntimeMajor} runtime on the target, and the agent is framework-dependent: it will not start until one is installed " +
                $"(Debian/Raspberry Pi OS: https://learn.microsoft.com/dotnet/core/install/linux-debian, or `dotnet-install.sh --runtime dotnet --channel {local.RuntimeMajor}.0 --install-dir /usr/share/dotnet`), " +
                $"or publish a self-contained agent: `dotnet publish src/Gateway.Agent -c Release -r {Rid(arch) ?? "linux-arm64"} --self-contained`");
        const long Margin = 32L * 1024 * 1024;
        if (probe.DiskFreeBytes >= 0 && probe.DiskFreeBytes < plan.Bytes + Margin)
            throw new ProvisioningException($"step 2: {request.Target} has {probe.DiskFreeBytes / (1024 * 1024)} MiB free; the agent needs {(plan.Bytes + Margin) / (1024 * 1024)} MiB. Free space (journalctl --vacuum-size=50M, apt clean) and run provision again");
    }

    /// <summary>
    /// The target's uname -m: the SSH host's, unless --arch names an image root's (an x86-64 laptop building an arm64
    /// image). On a live target (root /) --arch must agree with the host, or provisioning stops.
    /// </summary>
    private static string TargetArch(string hostMachine, string root, string? requested)
    {
        if (requested is null) return hostMachine;
        var machine = requested switch { "arm64" => "aarch64", "amd64" => "x86_64", "armhf" => "armv7l", _ => requested };
        if (root == "/" && machine != hostMachine)
            throw new ProvisioningException($"step 2: --arch {requested} but the target is {hostMachine}; --arch is for an image root (--root DIR) of another architecture");
        return machine;
    }

    /// <summary>uname -m to Debian architecture (dpkg-architecture(1)).</summary>
    public static string? DebianArch(string unameMachine) => unameMachine switch
    {
        "aarch64" or "arm64" => "arm64",
        "armv7l" or "armv6l" => "armhf",
        "x86_64" => "amd64",
        _ => null,
    };

    /// <summary>uname -m to .NET runtime identifier.</summary>
    public static string? Rid(string unameMachine) => unameMachine switch
    {
        "aarch64" or "arm64" => "linux-arm64",
        "armv7l" or "armv6l" => "linux-arm",
        "x86_64" => "linux-x64",
        _ => null,
    };

    private static string NormalizeRoot(string root)
    {
        if (!root.StartsWith('/')) throw new ProvisioningException($"--root must be an absolute path on the target; got '{root}'");
        return root == "/" ? "/" : root.TrimEnd('/');
    }

    private void Step(int n, string text) => output.WriteLine($"[{n}/{Steps}] {text}");

    private void Detail(string text) => output.WriteLine($"      {text}");
}
