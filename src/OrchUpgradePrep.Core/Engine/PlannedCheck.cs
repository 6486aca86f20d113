using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Engine;

/// <summary>One check to run on one host (or once for the environment). A set <see cref="SkipReason"/> means
/// the row is reported as skipped without running the check.</summary>
public sealed record PlannedCheck(ICheck Check, HostConfig? Host, string HostLabel, string? SkipReason = null);
