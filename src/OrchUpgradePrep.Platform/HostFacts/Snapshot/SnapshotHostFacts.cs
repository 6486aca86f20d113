using System.Globalization;
using System.IO.Abstractions;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>
/// One host checked offline from its snapshot folder: every <c>*.reg</c> file in it (reg export output,
/// registry.reg first) and host.json. Read once, when the host is first needed, so a broken snapshot
/// fails every check of that host with the same clear message instead of some checks passing.
/// </summary>
public sealed class SnapshotHostFacts : IHostFacts
{
    public const string HostJsonFileName = "host.json";
    public const string RegistryFileName = "registry.reg";

    /// <summary>The folder of exported IIS W3C logs (any <c>*.log</c> below it), read by <see cref="ReadIisLogRequestsAsync"/>.</summary>
    public const string IisLogsFolderName = "iis-logs";

    private const string WindowsNtCurrentVersion = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";

    private readonly HostSnapshotDocument? _document;
    private readonly string _hostJsonLabel;
    private readonly IFileSystem _fileSystem;
    private readonly string _folder;
    private readonly string _label;

    private SnapshotHostFacts(IFileSystem fileSystem, string hostName, string folder, string label, SnapshotRegistry registry, HostSnapshotDocument? document, string hostJsonLabel)
    {
        _fileSystem = fileSystem;
        _folder = folder;
        _label = label;
        HostName = hostName;
        SourceDescription = $"snapshot {folder}";
        Registry = registry;
        _document = document;
        _hostJsonLabel = hostJsonLabel;
    }

    public string HostName { get; }

    public string SourceDescription { get; }

    public IRegistry Registry { get; }

    /// <summary>Reads and validates the folder. Throws <see cref="HostFactsException"/> naming the file (and line) at fault.</summary>
    public static SnapshotHostFacts Open(IFileSystem fileSystem, string folder, string hostName)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (!fileSystem.Directory.Exists(folder))
        {
            throw new HostFactsException($"{hostName}: snapshot folder {folder} does not exist (hosts[].snapshot is relative to the config file)");
        }

        var label = fileSystem.Path.GetFileName(fileSystem.Path.TrimEndingDirectorySeparator(folder));
        var regFiles = fileSystem.Directory.GetFiles(folder, "*.reg")
            .OrderBy(f => string.Equals(fileSystem.Path.GetFileName(f), RegistryFileName, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToArray();
        if (regFiles.Length == 0 && !fileSystem.File.Exists(fileSystem.Path.Combine(folder, HostJsonFileName)))
        {
            throw new HostFactsException($"{hostName}: snapshot folder {folder} has neither {RegistryFileName} nor {HostJsonFileName} (see docs/snapshots.md)");
        }

        var exports = new List<RegExportFile>();
        foreach (var file in regFiles)
        {
            var display = $"{label}/{fileSystem.Path.GetFileName(file)}";
            try
            {
                exports.Add(RegExportParser.Parse(ReadBounded(fileSystem, file, RegExportParser.MaxFileBytes, display), display));
            }
            catch (RegExportFormatException ex)
            {
                throw new HostFactsException($"{hostName}: {ex.Message}", ex);
            }
        }

        HostSnapshotDocument? document = null;
        var hostJson = fileSystem.Path.Combine(folder, HostJsonFileName);
        var hostJsonLabel = $"{label}/{HostJsonFileName}";
        if (fileSystem.File.Exists(hostJson))
        {
            try
            {
                // PowerShell 5.1 writes UTF-8 with a BOM; System.Text.Json does not accept one in a string.
                var bytes = ReadBounded(fileSystem, hostJson, HostSnapshotReader.MaxFileBytes, hostJsonLabel);
                var text = System.Text.Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0));
                document = HostSnapshotReader.Parse(text, hostJsonLabel);
            }
            catch (SnapshotFormatException ex)
            {
                throw new HostFactsException($"{hostName}: {ex.Message}", ex);
            }

            if (document.HostName is { Length: > 0 } captured && !SameHost(captured, hostName))
            {
                throw new HostFactsException($"{hostName}: {hostJsonLabel} was captured on '{captured}', not on '{hostName}'; point hosts[].snapshot at this host's own snapshot");
            }
        }

        return new SnapshotHostFacts(fileSystem, hostName, folder, label, new SnapshotRegistry(exports, document?.AbsentRegistryKeys, hostJsonLabel), document, hostJsonLabel);
    }

    public async Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken)
    {
        if (_document?.OperatingSystem is { } os)
        {
            return new OperatingSystemFacts(os.Caption, os.Version, os.Build, os.InstallationType, _hostJsonLabel);
        }

        // Without host.json the registry still says which Windows this is (docs/facts/host-facts.md#windows).
        var key = await Registry.ReadKeyAsync(WindowsNtCurrentVersion, cancellationToken).ConfigureAwait(false);
        if (key.Presence != RegistryKeyPresence.Present
            || key.Value("CurrentBuild")?.Data is not string buildText
            || !int.TryParse(buildText, NumberStyles.None, CultureInfo.InvariantCulture, out var build))
        {
            throw new HostFactsException($"{HostName}: the operating system is unknown: {_hostJsonLabel} has no operatingSystem and the snapshot has no HKLM\\{WindowsNtCurrentVersion} with CurrentBuild");
        }

        var product = key.Value("ProductName")?.Data as string ?? "Windows";
        var major = key.Value("CurrentMajorVersionNumber")?.Data is uint m ? m : 10u;
        var minor = key.Value("CurrentMinorVersionNumber")?.Data is uint n ? n : 0u;
        return new OperatingSystemFacts(
            "Microsoft " + product,
            $"{major}.{minor}.{build}",
            build,
            key.Value("InstallationType")?.Data as string,
            key.Source + $" (HKLM\\{WindowsNtCurrentVersion})");
    }

    public Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken)
    {
        var hardware = Section(_document?.Hardware, "hardware", cancellationToken);
        return Task.FromResult(new HardwareFacts(hardware.TotalPhysicalMemoryBytes, hardware.CpuCores, hardware.LogicalProcessors, hardware.MaxClockSpeedMHz, _hostJsonLabel));
    }

    public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Section(_document?.Volumes, "volumes", cancellationToken));

    public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Section(_document?.DotnetRuntimes, "dotnetRuntimes", cancellationToken));

    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Section(_document?.Processes, "processes", cancellationToken));

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Section(_document?.Sessions, "sessions", cancellationToken));

    public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Section(_document?.Services, "services", cancellationToken));

    public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken)
    {
        var section = Section(_document?.ConfigMgrReboot, "configMgrReboot", cancellationToken);
        return Task.FromResult(section.ClientPresent
            ? new ConfigMgrRebootState(section.ReturnValue!.Value, section.RebootPending!.Value, section.IsHardRebootPending!.Value, SourceDescription + " host.json configMgrReboot")
            : null);
    }

    public Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken)
    {
        var groups = Section(_document?.LocalGroups, "localGroups", cancellationToken);
        var found = groups.FirstOrDefault(g => string.Equals(g.Key, group, StringComparison.OrdinalIgnoreCase));
        return found.Value is { } members
            ? Task.FromResult(members)
            : throw new HostFactsException($"{HostName}: {_hostJsonLabel} localGroups has no '{group}', so its members are unknown (see docs/snapshots.md)");
    }

    public Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // An account the export script did not read is not readable here: unknown, never "fine".
        var section = _document?.Accounts?.FirstOrDefault(a => string.Equals(a.Name, account, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(section is null
            ? null
            : new AccountState(section.Name, section.LockedOut, section.Disabled, section.PasswordExpired, _hostJsonLabel + " accounts"));
    }

    public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken)
    {
        var section = Section(_document?.DscLocalConfigurationManager, "dscLocalConfigurationManager", cancellationToken);
        if (!section.Present)
        {
            return Task.FromResult<DscLcmState?>(null);
        }

        return section.LcmState is { } state
            ? Task.FromResult<DscLcmState?>(new DscLcmState(state, _hostJsonLabel + " dscLocalConfigurationManager"))
            : throw new HostFactsException($"{HostName}: {_hostJsonLabel} dscLocalConfigurationManager is present without lcmState, so it is unknown");
    }

    public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = Section(_document?.Files, "files", cancellationToken);
        var result = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var entry = files.FirstOrDefault(f => string.Equals(f.Key, path, StringComparison.OrdinalIgnoreCase));
            if (entry.Key is null)
            {
                throw new HostFactsException($"{HostName}: {_hostJsonLabel} files does not list '{path}', so whether it exists is unknown (see docs/snapshots.md)");
            }

            result[path] = entry.Value;
        }

        return Task.FromResult<IReadOnlyDictionary<string, bool>>(result);
    }

    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var logs = _fileSystem.Path.Combine(_folder, IisLogsFolderName);
        if (!_fileSystem.Directory.Exists(logs))
        {
            throw new HostFactsException($"{HostName}: the snapshot has no {IisLogsFolderName} folder, so the IIS logs are unknown (copy the web host's W3SVC* log folders into {_label}/{IisLogsFolderName}, docs/snapshots.md)");
        }

        IisLogs.IisLogScanner.LogFile[] files;
        try
        {
            files = _fileSystem.Directory.GetFiles(logs, "*.log", SearchOption.AllDirectories)
                .Select(f => new IisLogs.IisLogScanner.LogFile(f, $"{_label}/{IisLogsFolderName}/{_fileSystem.Path.GetRelativePath(logs, f).Replace('\\', '/')}"))
                .ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostFactsException($"{HostName}: cannot list {_label}/{IisLogsFolderName}: {ex.Message}", ex);
        }

        // Logs can be large: the scan streams them off the caller's thread.
        return Task.Run(() => IisLogs.IisLogScanner.Scan(_fileSystem, files, query, $"{SourceDescription}: {IisLogsFolderName}", [], cancellationToken), cancellationToken);
    }

    private T Section<T>(T? section, string name, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_document is null)
        {
            throw new HostFactsException($"{HostName}: the snapshot has no {HostJsonFileName}, so '{name}' is unknown (see docs/snapshots.md)");
        }

        return section ?? throw new HostFactsException($"{HostName}: {_hostJsonLabel} has no '{name}' section, so it is unknown (see docs/snapshots.md)");
    }

    private static byte[] ReadBounded(IFileSystem fileSystem, string path, long limit, string display)
    {
        var length = fileSystem.FileInfo.New(path).Length;
        if (length > limit)
        {
            throw new HostFactsException($"{display} is {length / (1024 * 1024)} MiB, over the {limit / (1024 * 1024)} MiB limit; export only the keys listed in docs/snapshots.md");
        }

        return fileSystem.File.ReadAllBytes(path);
    }

    /// <summary>orch-ms01 and ORCH-MS01.contoso.local are the same host.</summary>
    private static bool SameHost(string a, string b) =>
        string.Equals(a.Split('.')[0], b.Split('.')[0], StringComparison.OrdinalIgnoreCase);
}
