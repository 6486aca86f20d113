using Xunit;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Tests.Engine;

/// <summary>A check whose behaviour the test scripts: returns, throws, hangs or ignores cancellation.</summary>
internal sealed class ScriptedCheck : ICheck
{
    private readonly Func<CheckContext, CancellationToken, Task<CheckOutcome>> _run;

    public ScriptedCheck(string id, Func<CheckContext, CancellationToken, Task<CheckOutcome>> run, CheckScope scope = CheckScope.PerHost, params HostRole[] roles)
    {
        Id = id;
        _run = run;
        Scope = scope;
        Roles = roles.ToHashSet();
        Prerequisite = WireNames.TryParse<Prerequisite>(id.Split('.')[0], out var p) ? p : Prerequisite.Requirements;
    }

    public string Id { get; }
    public string Title => $"scripted {Id}";
    public Prerequisite Prerequisite { get; }
    public CheckScope Scope { get; }
    public IReadOnlySet<HostRole> Roles { get; }

    public Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken) => _run(context, cancellationToken);

    public static ScriptedCheck Returning(string id, CheckOutcome outcome, params HostRole[] roles) =>
        new(id, (_, _) => Task.FromResult(outcome), CheckScope.PerHost, roles);
}

/// <summary>Hosts named "unreachable*" cannot be reached; others give an empty facts object.</summary>
internal sealed class ScriptedHostFactsSource : IHostFactsSource
{
    private int _created;

    public int Created => _created;

    public IHostFacts For(HostConfig host)
    {
        if (host.Name.StartsWith("unreachable", StringComparison.Ordinal))
        {
            throw new HostFactsException($"{host.Name}: WinRM did not answer");
        }

        Interlocked.Increment(ref _created);
        return new EmptyHostFacts(host.Name);
    }

    private sealed class EmptyHostFacts(string name) : IHostFacts, IRegistry
    {
        public string HostName => name;
        public string SourceDescription => "test";
        public IRegistry Registry => this;
        public ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new RegistryKeyRead { Path = keyPath, Presence = RegistryKeyPresence.Absent, Source = "test" });
        public Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken) => throw new HostFactsException("no OS facts");
        public Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken) => throw new HostFactsException("no hardware facts");
        public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VolumeFacts>>([]);
        public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DotNetRuntime>>([]);
        public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ProcessInfo>>([]);
        public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SessionInfo>>([]);
        public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ServiceInfo>>([]);
        public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken) => Task.FromResult<ConfigMgrRebootState?>(null);
        public Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken) => throw new HostFactsException("no groups");
        public Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken) => Task.FromResult<AccountState?>(null);
        public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken) => Task.FromResult<DscLcmState?>(null);
        public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) => throw new HostFactsException("no files");

        public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken) => throw new HostFactsException("no IIS logs");
    }
}

internal static class TestEnvironments
{
    public static EnvironmentConfig WithHosts(params HostConfig[] hosts) => new() { Name = "test", Target = TargetVersion.V2022, Hosts = hosts };

    public static HostConfig Host(string name, params HostRole[] roles) => new() { Name = name, Roles = roles };
}
