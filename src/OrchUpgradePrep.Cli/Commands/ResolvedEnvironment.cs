using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>The environment a run checks, with the adapters that reach its hosts, SQL Server, web service and
/// services. Owns the sandbox and the web service client, if any.</summary>
internal sealed record ResolvedEnvironment(
    EnvironmentConfig Environment,
    TargetVersion Target,
    IHostFactsSource HostFacts,
    SandboxSession? Sandbox,
    ISqlConnector? Sql,
    IOrchestratorApi? WebService,
    IServiceControlSource Services,
    IProgramControlSource Programs) : IAsyncDisposable
{
    /// <summary>Where a prepare/resume run against the sandbox keeps its world; null otherwise.</summary>
    public SandboxWorldStore? SandboxWorld { get; init; }

    /// <summary>The instance of policies.verify.restoreServer (--restore-server), with the sql: section's credentials, in
    /// master; null when the test restore (if any) runs on the Orchestrator database's own instance.</summary>
    public ISqlConnector? RestoreServer { get; init; }

    public async ValueTask DisposeAsync()
    {
        (WebService as IDisposable)?.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
