using System.Globalization;
using System.Runtime.Versioning;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Host facts of the machine orchprep runs on, read live from WMI, the registry, the file system and WTS.</summary>
[SupportedOSPlatform("windows")]
public sealed class LiveWindowsHostFacts : IHostFacts
{
    /// <summary>How long one WMI query may wait for its next result before the fact becomes an error.</summary>
    public const int DefaultQueryTimeoutSeconds = 30;

    private const string OperatingSystemClass = "Win32_OperatingSystem";
    private const string ComputerSystemClass = "Win32_ComputerSystem";
    private const string ProcessorClass = "Win32_Processor";
    private const string ProcessClass = "Win32_Process";
    private const string ServiceClass = "Win32_Service";
    private const string CurrentVersionKey = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";

    private readonly WmiQueryRunner _wmi;
    private readonly LiveWindowsRegistry _registry = new();
    private readonly DotNetRuntimeScanner _runtimes = new(DotNetRuntimeScanner.DefaultDotNetRoot());
    private readonly WtsSessionReader _sessions = new();

    public LiveWindowsHostFacts()
        : this(TimeSpan.FromSeconds(DefaultQueryTimeoutSeconds))
    {
    }

    public LiveWindowsHostFacts(TimeSpan queryTimeout)
    {
        _wmi = new WmiQueryRunner(queryTimeout);
    }

    public string HostName => Environment.MachineName;

    public string SourceDescription => "live (this machine)";

    public IRegistry Registry => _registry;

    public async Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken)
    {
        var rows = await _wmi.QueryAsync(
            OperatingSystemClass,
            ["Caption", "Version", "BuildNumber"],
            item => (
                Caption: WmiValues.RequiredString(item, OperatingSystemClass, "Caption").Trim(),
                Version: WmiValues.RequiredString(item, OperatingSystemClass, "Version"),
                Build: WmiValues.RequiredString(item, OperatingSystemClass, "BuildNumber")),
            cancellationToken).ConfigureAwait(false);
        var os = Single(rows, OperatingSystemClass);
        if (!int.TryParse(os.Build, NumberStyles.None, CultureInfo.InvariantCulture, out var build))
        {
            throw new HostFactsException($"WMI {OperatingSystemClass}.BuildNumber is not a number: {os.Build}");
        }

        // WMI has no "Server Core" flag; the registry does (Client, Server, Server Core).
        var currentVersion = await _registry.ReadKeyAsync(CurrentVersionKey, cancellationToken).ConfigureAwait(false);
        var installationType = currentVersion.Value("InstallationType")?.Data as string;

        return new OperatingSystemFacts(os.Caption, os.Version, build, installationType, $"WMI {OperatingSystemClass} (live)");
    }

    public async Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken)
    {
        var systems = await _wmi.QueryAsync(
            ComputerSystemClass,
            ["TotalPhysicalMemory"],
            item => WmiValues.RequiredInt64(item, ComputerSystemClass, "TotalPhysicalMemory"),
            cancellationToken).ConfigureAwait(false);
        var memory = Single(systems, ComputerSystemClass);

        var sockets = await _wmi.QueryAsync(
            ProcessorClass,
            ["NumberOfCores", "NumberOfLogicalProcessors", "MaxClockSpeed"],
            item => (
                Cores: WmiValues.RequiredInt32(item, ProcessorClass, "NumberOfCores"),
                Logical: WmiValues.RequiredInt32(item, ProcessorClass, "NumberOfLogicalProcessors"),
                ClockMHz: WmiValues.RequiredInt32(item, ProcessorClass, "MaxClockSpeed")),
            cancellationToken).ConfigureAwait(false);
        if (sockets.Count == 0)
        {
            throw new HostFactsException($"WMI {ProcessorClass} returned no processors");
        }

        // Cores add up across sockets; the slowest socket sets the clock a check may rely on.
        return new HardwareFacts(
            memory,
            sockets.Sum(s => s.Cores),
            sockets.Sum(s => s.Logical),
            sockets.Min(s => s.ClockMHz),
            $"WMI {ComputerSystemClass}, {ProcessorClass} (live)");
    }

    public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) =>
        Task.Run(() => ReadFixedVolumes(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) =>
        Task.Run(() => _runtimes.Scan(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) =>
        _wmi.QueryAsync(
            ProcessClass,
            ["ProcessId", "Name", "ExecutablePath", "SessionId"],
            item => new ProcessInfo(
                WmiValues.RequiredInt32(item, ProcessClass, "ProcessId"),
                WmiValues.RequiredString(item, ProcessClass, "Name"),
                WmiValues.OptionalString(item, "ExecutablePath"),

                // The owner needs GetOwner per process (seconds on a busy server); no check needs it yet.
                UserName: null,
                WmiValues.RequiredInt32(item, ProcessClass, "SessionId")),
            cancellationToken);

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) =>
        Task.Run(() => _sessions.ReadSessions(cancellationToken), cancellationToken);

    public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken) =>
        Task.Run<ConfigMgrRebootState?>(
            () =>
            {
                const string source = @"live root\ccm\ClientSDK:CCM_ClientUtilities.DetermineIfRebootPending()";
                try
                {
                    using var utilities = new System.Management.ManagementClass(
                        new System.Management.ManagementScope(@"\\.\root\ccm\ClientSDK"), new System.Management.ManagementPath("CCM_ClientUtilities"), null);
                    using var result = utilities.InvokeMethod("DetermineIfRebootPending", null, null);
                    var outParameters = result.Properties.Cast<System.Management.PropertyData>().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.OrdinalIgnoreCase);
                    return ConfigMgrReboot.From(outParameters.GetValueOrDefault("ReturnValue"), outParameters, source);
                }
                catch (System.Management.ManagementException ex) when (ex.ErrorCode == System.Management.ManagementStatus.InvalidNamespace)
                {
                    // No Configuration Manager client: not applicable (docs/facts/restart-signals.md#ccm), never a failure.
                    return null;
                }
                catch (Exception ex) when (ex is System.Management.ManagementException or UnauthorizedAccessException or System.Runtime.InteropServices.COMException)
                {
                    throw new HostFactsException($"{source}: {ex.Message}", ex);
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) =>
        _wmi.QueryAsync(
            ServiceClass,
            ["Name", "DisplayName", "State", "StartMode", "PathName", "StartName", "ProcessId", "ServiceType"],
            item =>
            {
                var name = WmiValues.RequiredString(item, ServiceClass, "Name");
                return new ServiceInfo(
                    name,
                    WmiValues.OptionalString(item, "DisplayName") ?? name,
                    WmiValues.OptionalString(item, "State") ?? "Unknown",
                    WmiValues.OptionalString(item, "StartMode") ?? "Unknown",
                    WmiValues.OptionalString(item, "PathName"),
                    WmiValues.OptionalString(item, "StartName"),
                    item["ProcessId"] is null ? null : WmiValues.RequiredInt32(item, ServiceClass, "ProcessId"),
                    WmiValues.OptionalString(item, "ServiceType") is { } type ? string.Equals(type, "Share Process", StringComparison.OrdinalIgnoreCase) : null);
            },
            cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken)
    {
        const string className = "Win32_GroupUser";
        var members = await _wmi.QueryAsync(
            className,
            ["PartComponent"],
            item => GroupMembership.FromPartComponent(WmiValues.OptionalString(item, "PartComponent")),
            cancellationToken,
            GroupMembership.WhereGroup(HostName, group)).ConfigureAwait(false);
        return [.. members.OfType<GroupMember>()];
    }

    public async Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken)
    {
        // Only local accounts are readable here (Win32_UserAccount with LocalAccount = TRUE); a domain account's
        // lockout lives in AD: not readable, said so by null.
        var (domain, user) = SplitAccount(account);
        if (!string.Equals(domain, HostName, StringComparison.OrdinalIgnoreCase) && domain is not "." || user.Contains('\'') || user.Contains('"'))
        {
            return null;
        }

        const string className = "Win32_UserAccount";
        var rows = await _wmi.QueryAsync(
            className,
            ["Name", "Lockout", "Disabled"],
            item => new AccountState(account, item["Lockout"] as bool?, item["Disabled"] as bool?, null, $"live {className}"),
            cancellationToken,
            $"LocalAccount = TRUE AND Name = '{user}'").ConfigureAwait(false);
        return rows.Count == 1 ? rows[0] : null;
    }

    public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken) =>
        Task.Run<DscLcmState?>(
            () =>
            {
                const string source = @"live root\Microsoft\Windows\DesiredStateConfiguration:MSFT_DSCLocalConfigurationManager.GetMetaConfiguration()";
                try
                {
                    using var lcm = new System.Management.ManagementClass(
                        new System.Management.ManagementScope(@"\\.\root\Microsoft\Windows\DesiredStateConfiguration"), new System.Management.ManagementPath("MSFT_DSCLocalConfigurationManager"), null);
                    using var result = lcm.InvokeMethod("GetMetaConfiguration", null, null);
                    var meta = result?["MetaConfiguration"] as System.Management.ManagementBaseObject;
                    return meta?["LCMState"] is string state
                        ? new DscLcmState(state, source)
                        : throw new HostFactsException($"{source}: no LCMState in the answer");
                }
                catch (System.Management.ManagementException ex) when (ex.ErrorCode is System.Management.ManagementStatus.InvalidNamespace or System.Management.ManagementStatus.InvalidClass)
                {
                    // No DSC on the host: not applicable (docs/facts/restart-signals.md), never a failure.
                    return null;
                }
                catch (Exception ex) when (ex is System.Management.ManagementException or UnauthorizedAccessException or System.Runtime.InteropServices.COMException)
                {
                    throw new HostFactsException($"{source}: {ex.Message}", ex);
                }
            },
            cancellationToken);

    public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyDictionary<string, bool>>(
            () => paths.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(p => p, File.Exists, StringComparer.OrdinalIgnoreCase),
            cancellationToken);

    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var fileSystem = new System.IO.Abstractions.FileSystem();
                var (files, notes) = IisLogs.IisLogLocations.Find(fileSystem, Environment.ExpandEnvironmentVariables);
                return IisLogs.IisLogScanner.Scan(fileSystem, files, query, "live (this machine): IIS W3C logs", notes, cancellationToken);
            },
            cancellationToken);

    private static (string Domain, string User) SplitAccount(string account) =>
        account.IndexOf('\\') is var i and > 0 ? (account[..i], account[(i + 1)..]) : (".", account);

    private static IReadOnlyList<VolumeFacts> ReadFixedVolumes(CancellationToken cancellationToken)
    {
        var volumes = new List<VolumeFacts>();
        foreach (var drive in DriveInfo.GetDrives())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (drive.DriveType != DriveType.Fixed)
            {
                continue;
            }

            try
            {
                if (drive.IsReady)
                {
                    // AvailableFreeSpace honours the running user's quota; TotalFreeSpace would not.
                    volumes.Add(new VolumeFacts(drive.Name.TrimEnd('\\'), drive.TotalSize, drive.AvailableFreeSpace));
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new HostFactsException($"cannot read volume {drive.Name.TrimEnd('\\')}: access denied", ex);
            }
            catch (IOException)
            {
                // The volume went away between listing and reading (dismounted, BitLocker-locked): not a fixed volume now.
            }
        }

        return volumes;
    }

    private static T Single<T>(IReadOnlyList<T> rows, string className) => rows.Count switch
    {
        1 => rows[0],
        0 => throw new HostFactsException($"WMI {className} returned no instance"),
        _ => throw new HostFactsException($"WMI {className} returned {rows.Count} instances, expected one"),
    };
}
