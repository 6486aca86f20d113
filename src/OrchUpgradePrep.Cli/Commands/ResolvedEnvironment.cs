using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>The environment a run checks, with the adapters that reach its hosts. Owns the sandbox, if any.</summary>
internal sealed record ResolvedEnvironment(
    EnvironmentConfig Environment,
    TargetVersion Target,
    IHostFactsSource HostFacts,
    IAsyncDisposable? Sandbox,
    ISqlConnector? Sql = null);
