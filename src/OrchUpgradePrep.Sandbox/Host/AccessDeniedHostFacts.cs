using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>
/// A host that answers but whose account orchprep runs as may not read it (the `access-denied` scenario): WinRM
/// accepts the connection, then every CIM query and every StdRegProv read is refused, with the messages the remote
/// adapter gives (CimErrors, CimRegistry). Unlike an unreachable host, the failure comes from each read, not from
/// reaching the host.
/// </summary>
internal sealed class AccessDeniedHostFacts(string hostName) : IHostFacts, IRegistry
{
    public string HostName => hostName;

    public string SourceDescription => $"cim://{hostName} (sandbox: access denied)";

    public IRegistry Registry => this;

    public ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken) =>
        ValueTask.FromException<RegistryKeyRead>(new HostFactsException(
            $@"{hostName}: access denied reading HKLM\{keyPath} (StdRegProv EnumKey): the account running orchprep needs to be a local administrator on the host."));

    public Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken) => Denied<OperatingSystemFacts>("Win32_OperatingSystem");

    public Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken) => Denied<HardwareFacts>("Win32_ComputerSystem");

    public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) => Denied<IReadOnlyList<VolumeFacts>>("Win32_LogicalDisk");

    public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) => Denied<IReadOnlyList<DotNetRuntime>>("CIM_DataFile");

    public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken) => Denied<ConfigMgrRebootState?>("CCM_ClientUtilities");

    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) => Denied<IReadOnlyList<ProcessInfo>>("Win32_Process");

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) => Denied<IReadOnlyList<SessionInfo>>("Win32_LogonSession");

    public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) => Denied<IReadOnlyList<ServiceInfo>>("Win32_Service");

    public Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken) => Denied<IReadOnlyList<GroupMember>>("Win32_GroupUser");

    public Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken) => Denied<AccountState?>("Win32_UserAccount");

    public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken) => Denied<DscLcmState?>("MSFT_DSCLocalConfigurationManager");

    public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) => Denied<IReadOnlyDictionary<string, bool>>("CIM_DataFile");

    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken) =>
        Task.FromException<IisLogScan>(new HostFactsException(
            $"{hostName}: IIS logs cannot be read over WinRM/CIM (CIM gives no file contents); run orchprep on {hostName}, " +
            "or give the host a snapshot with its IIS logs in an iis-logs folder (docs/snapshots.md)"));

    private Task<T> Denied<T>(string className) =>
        Task.FromException<T>(new HostFactsException(
            $"{hostName}: access denied to query {className} over WinRM: the account running orchprep needs to be a local administrator on the host " +
            "(or a member of Remote Management Users with WMI rights on the namespace)."));
}

/// <summary>Wraps a host-facts source so the named hosts answer every read with access denied.</summary>
internal sealed class AccessDeniedHostFactsSource(IHostFactsSource inner, IReadOnlyCollection<string> denied) : IHostFactsSource
{
    public IHostFacts For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return denied.Contains(host.Name, StringComparer.OrdinalIgnoreCase) ? new AccessDeniedHostFacts(host.Name) : inner.For(host);
    }
}
