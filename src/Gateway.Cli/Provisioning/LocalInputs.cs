using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Gateway.Agent.Profiles;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// Everything provisioning takes from the laptop, loaded and checked before anything is sent: the profile (as the
/// agent validates it), the gateway's certificate and key (CN = gateway id, signed by the fleet CA, key matching),
/// the published agent, and the boot-config fragments the profile's hardware needs.
/// </summary>
public sealed class LocalInputs
{
    private LocalInputs(ProvisionRequest request, GatewayProfile profile, string profileJson, IReadOnlyList<SourceNeeds> needs)
    {
        Request = request;
        Profile = profile;
        ProfileJson = profileJson;
        Needs = needs;
    }

    public ProvisionRequest Request { get; }
    public GatewayProfile Profile { get; }
    public string ProfileJson { get; }
    public IReadOnlyList<SourceNeeds> Needs { get; }
    public byte[] CaPem { get; private set; } = [];
    public byte[] CertPem { get; private set; } = [];
    public byte[] KeyPem { get; private set; } = [];
    /// <summary>The agent's runtime identifier when it was published for one (from its deps.json), else null.</summary>
    public string? RuntimeIdentifier { get; private set; }
    public bool SelfContained { get; private set; }
    public int RuntimeMajor { get; private set; } = 10;
    /// <summary>The .deb's Debian architecture (amd64, arm64...) when provisioning from a package, else null.</summary>
    public string? PackageArch { get; private set; }
    public string? PackageVersion { get; private set; }

    public static LocalInputs Load(ProvisionRequest request)
    {
        GatewayProfile profile;
        try { profile = ProfileLoader.Load(request.ProfilePath); }
        catch (ProfileException ex) { throw new ProvisioningException($"step 1: {ex.Message}"); }
        // Provision installs the CA, certificate and key at fixed paths; a profile that reads them elsewhere would
        // leave the agent unable to connect, so say so before anything is sent.
        if (profile.Broker.Tls is { } tls && (tls.CaFile, tls.CertFile, tls.KeyFile) != (TargetLayout.CaFile, TargetLayout.CertFile, TargetLayout.KeyFile))
            throw new ProvisioningException($"step 1: the profile's broker.tls must name the files provision installs: \"caFile\": \"{TargetLayout.CaFile}\", " +
                $"\"certFile\": \"{TargetLayout.CertFile}\", \"keyFile\": \"{TargetLayout.KeyFile}\" (see firmware-config/profiles/reference-pi.json)");
        var json = File.ReadAllText(request.ProfilePath);
        if (PinMap.Conflicts(PinMap.Read(profile)) is { Count: > 0 } conflicts)
            throw new ProvisioningException($"step 1: {string.Join("; ", conflicts)}");
        var inputs = new LocalInputs(request, profile, json, ProfileHardware.Read(profile));
        inputs.LoadCertificates();
        if (request.PackagePath is { } deb) inputs.LoadPackage(deb);
        else inputs.LoadAgent();
        foreach (var i in ProfileHardware.Interfaces(inputs.Needs))
            if (!File.Exists(Path.Combine(request.FirmwareDir, i.FileName())))
                throw new ProvisioningException($"step 1: {Path.Combine(request.FirmwareDir, i.FileName())} is missing; pass the repository's firmware-config/raspberrypi with --firmware DIR");
        return inputs;
    }

    public string Describe()
    {
        var interfaces = ProfileHardware.Interfaces(Needs);
        var devices = ProfileHardware.Devices(Needs);
        return $"interfaces {(interfaces.Count == 0 ? "none" : string.Join(", ", interfaces.Select(i => i.Display())))}; devices {(devices.Count == 0 ? "none" : string.Join(" ", devices))}; " +
            (PackageArch is { } arch ? $"agent package {PackageVersion} for {arch}"
                : $"agent {(SelfContained ? $"self-contained {RuntimeIdentifier}" : $"framework-dependent (.NET {RuntimeMajor})")}");
    }

    /// <summary>What the target must hold, given what the probe found in its boot configuration.</summary>
    public IReadOnlyList<DesiredItem> DesiredItems(ProbeResult probe, out IReadOnlyList<string> notes)
    {
        var items = new List<DesiredItem>
        {
            new(ItemKind.Dir, TargetLayout.ConfigDir, 0b111_101_000, "root:gateway"),
            new(ItemKind.Dir, TargetLayout.TlsDir, 0b111_101_000, "root:gateway"),
            new(ItemKind.Dir, TargetLayout.StateDir, 0b111_101_000, "gateway"),
        };
        if (Request.PackagePath is { } deb)
            items.Add(new DesiredItem(ItemKind.Package, TargetLayout.PackageCache, 0b110_100_100, "root", File.ReadAllBytes(deb)));
        else
            items.Add(new DesiredItem(ItemKind.Dir, TargetLayout.AgentDir, 0b111_101_101, "root"));
        var agentRoot = Path.GetFullPath(Request.PackagePath is null ? Request.AgentDir : Path.GetDirectoryName(Request.PackagePath)!);
        foreach (var dir in Request.PackagePath is not null ? Enumerable.Empty<string>() : Directory.EnumerateDirectories(agentRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            items.Add(new DesiredItem(ItemKind.Dir, $"{TargetLayout.AgentDir}/{Path.GetRelativePath(agentRoot, dir)}", 0b111_101_101, "root"));
        foreach (var file in Request.PackagePath is not null ? Enumerable.Empty<string>() : Directory.EnumerateFiles(agentRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var executable = Path.GetFileName(file) == "gateway-agent" || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0);
            items.Add(new DesiredItem(ItemKind.File, $"{TargetLayout.AgentDir}/{Path.GetRelativePath(agentRoot, file)}", executable ? 0b111_101_101 : 0b110_100_100, "root", File.ReadAllBytes(file)));
        }
        // The profile names the broker and devices, not secrets; the agent (group gateway) reads it, only root changes it.
        items.Add(new DesiredItem(ItemKind.File, TargetLayout.Profile, 0b110_100_000, "root:gateway", Encoding.UTF8.GetBytes(ProfileJson)));
        items.Add(new DesiredItem(ItemKind.File, TargetLayout.CaFile, 0b110_100_100, "root", CaPem));
        items.Add(new DesiredItem(ItemKind.File, TargetLayout.CertFile, 0b110_100_100, "root", CertPem));
        items.Add(new DesiredItem(ItemKind.File, TargetLayout.KeyFile, 0b110_000_000, "gateway", KeyPem));
        items.Add(new DesiredItem(ItemKind.File, TargetLayout.UnitFile, 0b110_100_100, "root",
            Encoding.UTF8.GetBytes(Request.PackagePath is null
                ? AgentUnit.Render(ProfileHardware.Devices(Needs), ProfileHardware.Groups(Needs))
                : AgentUnit.Render(ProfileHardware.Devices(Needs), ProfileHardware.Groups(Needs), TargetLayout.PackagedAgent))));
        items.Add(new DesiredItem(ItemKind.Link, TargetLayout.WantsLink, 0, "root", LinkTarget: TargetLayout.UnitFile));
        if (Profile.Time.ChronySocket is not null || Profile.Time.ChronyPpsSocket is not null)
        {
            // chronyd reads its conf.d; the drop-in lets the agent write the sockets chronyd creates (firmware-config/chrony).
            items.Add(new DesiredItem(ItemKind.File, TargetLayout.ChronyConf, 0b110_100_100, "root", ChronyFile("gateway-gps.conf")));
            items.Add(new DesiredItem(ItemKind.File, TargetLayout.ChronyDropIn, 0b110_100_100, "root", ChronyFile("chrony-gateway.service.conf")));
        }
        items.AddRange(BootItems(probe, out var bootNotes));
        notes = Profile.Broker.Tls is null
            ? [$"the profile has no broker.tls: the agent connects over plain TCP, which a broker from `gatewayctl broker config` refuses; add \"tls\" with the files in {TargetLayout.TlsDir} (see firmware-config/profiles/reference-pi.json)", .. bootNotes]
            : bootNotes;
        return items;
    }

    /// <summary>A file of firmware-config/chrony, built into gatewayctl so that one copy exists.</summary>
    private static byte[] ChronyFile(string name)
    {
        using var stream = typeof(LocalInputs).Assembly.GetManifestResourceStream($"chrony/{name}")
            ?? throw new InvalidOperationException($"gatewayctl was built without firmware-config/chrony/{name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private List<DesiredItem> BootItems(ProbeResult probe, out IReadOnlyList<string> notes)
    {
        var interfaces = ProfileHardware.Interfaces(Needs);
        var result = new List<DesiredItem>();
        var n = new List<string>();
        notes = n;
        var configPath = probe.Get("boot_config");
        if (configPath.Length == 0)
        {
            if (interfaces.Count > 0)
                n.Add($"no Raspberry Pi boot config (/boot/firmware/config.txt or /boot/config.txt) on the target: enable {string.Join(", ", interfaces.Select(i => i.Display()))} yourself (see firmware-config/raspberrypi/)");
            return result;
        }
        var current = Encoding.UTF8.GetString(Convert.FromBase64String(probe.Get("boot_config_b64")));
        // The 1-Wire overlay's pin is the profile's (PinMap), the same lines `config validate --boot-config` asks for.
        var oneWirePins = PinMap.OneWirePins(PinMap.Read(Profile));
        var fragments = interfaces.Select(i => (i.FileName(),
            string.Join('\n', ProfileHardware.RequiredLines(File.ReadAllText(Path.Combine(Request.FirmwareDir, i.FileName())), oneWirePins)))).ToList();
        var wanted = BootConfig.WithManagedBlock(current, fragments);
        if (wanted != current)
        {
            result.Add(new DesiredItem(ItemKind.Boot, configPath, 0b111_101_101, "root", Encoding.UTF8.GetBytes(wanted)));
            n.Add($"{configPath}: enabling {(interfaces.Count == 0 ? "nothing (removing our block)" : string.Join(", ", interfaces.Select(i => i.Display())))}; the old file is kept as a backup; a reboot is needed");
        }
        else
        {
            n.Add($"{configPath}: {(interfaces.Count == 0 ? "no overlays needed" : string.Join(", ", interfaces.Select(i => i.Display())) + " already enabled")}");
        }
        if (interfaces.Contains(BoardInterface.Uart) && probe.Get("cmdline") is { Length: > 0 } cmdlinePath)
        {
            var cmdline = Encoding.UTF8.GetString(Convert.FromBase64String(probe.Get("cmdline_b64")));
            var without = BootConfig.WithoutSerialConsole(cmdline);
            if (without != cmdline)
            {
                result.Add(new DesiredItem(ItemKind.Boot, cmdlinePath, 0b111_101_101, "root", Encoding.UTF8.GetBytes(without)));
                n.Add($"{cmdlinePath}: removing the serial console, which would talk over the GPS line");
            }
        }
        return result;
    }

    private void LoadCertificates()
    {
        var id = Profile.GatewayId;
        var caPath = Path.Combine(Request.CaDir, "ca.crt");
        var crtPath = Path.Combine(Request.CertDir, $"{id}.crt");
        var keyPath = Path.Combine(Request.CertDir, $"{id}.key");
        if (!File.Exists(caPath)) throw new ProvisioningException($"step 1: {caPath} does not exist; pass the fleet CA directory with --ca");
        if (!File.Exists(crtPath) || !File.Exists(keyPath))
            throw new ProvisioningException($"step 1: {crtPath} and {keyPath} are needed; issue them with `gatewayctl cert issue {id} --ca {Request.CaDir} --out {Request.CertDir} --role gateway`");
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        X509Certificate2 cert;
        try { cert = X509Certificate2.CreateFromPemFile(crtPath, keyPath); }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ProvisioningException($"step 1: {keyPath} is not the key of {crtPath} ({ex.Message}); re-issue the pair");
        }
        using (cert)
        {
            var cn = cert.GetNameInfo(X509NameType.SimpleName, false);
            if (cn != id) throw new ProvisioningException($"step 1: {crtPath} is for CN={cn}, but the profile's gatewayId is {id}; the broker maps the CN to the topics, so they must agree");
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (!chain.Build(cert))
                throw new ProvisioningException($"step 1: {crtPath} does not chain to {caPath}: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}");
        }
        CaPem = File.ReadAllBytes(caPath);
        CertPem = File.ReadAllBytes(crtPath);
        KeyPem = File.ReadAllBytes(keyPath);
    }

    /// <summary>
    /// A gateway-agent package from deploy/package/build.sh: its Debian file name (NAME_VERSION_ARCH.deb, Debian policy
    /// §4.2 naming as dpkg-name writes it) gives the version and architecture, checked against the target before
    /// anything is sent; dpkg on the target checks the package's own control fields again.
    /// </summary>
    private void LoadPackage(string deb)
    {
        if (!File.Exists(deb))
            throw new ProvisioningException($"step 1: {deb} does not exist; build it with `deploy/package/build.sh --package gateway-agent --arch arm64`");
        var parts = Path.GetFileNameWithoutExtension(deb).Split('_');
        if (!deb.EndsWith(".deb", StringComparison.Ordinal) || parts is not ["gateway-agent", { Length: > 0 } version, { Length: > 0 } arch])
            throw new ProvisioningException($"step 1: {Path.GetFileName(deb)} is not named like a gateway-agent package (gateway-agent_VERSION_ARCH.deb, as deploy/package/build.sh writes it)");
        PackageVersion = version;
        PackageArch = arch;
    }

    private void LoadAgent()
    {
        var dir = Request.AgentDir;
        if (!File.Exists(Path.Combine(dir, "gateway-agent.dll")))
            throw new ProvisioningException($"step 1: {dir} has no gateway-agent.dll; publish the agent first: `dotnet publish src/Gateway.Agent -c Release -o {dir}`");
        SelfContained = File.Exists(Path.Combine(dir, "libcoreclr.so"));
        var deps = Path.Combine(dir, "gateway-agent.deps.json");
        if (File.Exists(deps))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(deps));
            // "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-arm64" } when published for a runtime identifier.
            if (doc.RootElement.TryGetProperty("runtimeTarget", out var t) && t.TryGetProperty("name", out var name) && name.GetString() is { } n)
            {
                var slash = n.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0) RuntimeIdentifier = n[(slash + 1)..];
                var v = n.IndexOf(",Version=v", StringComparison.Ordinal);
                if (v > 0 && int.TryParse(n.AsSpan(v + 10, n.IndexOf('.', v) - v - 10), System.Globalization.CultureInfo.InvariantCulture, out var major)) RuntimeMajor = major;
            }
        }
    }
}
