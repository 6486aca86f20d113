using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Engine;

/// <summary>Results in plan order; <see cref="Cancelled"/> when the root token fired before every check finished.</summary>
public sealed record CheckRunResult(IReadOnlyList<CheckResult> Results, bool Cancelled);
