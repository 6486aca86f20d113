using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Gates;

/// <summary>Runs `orchprep check` for one config environment (the boundary between the gate service and the checks).</summary>
public interface IGateCheck
{
    Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken);
}

/// <summary>
/// What a gate decides on. <see cref="Report"/> is already redacted (secrets masked); <see cref="Summary"/> is report.md.
/// Only a finished run whose outcome is met approves: an error, a timeout or a crash always rejects.
/// </summary>
public sealed record GateCheckResult(RunOutcome Outcome, Report? Report, string Summary, string? Failure = null)
{
    public bool Approves => Outcome == RunOutcome.Met && Failure is null && Report is not null;

    public static GateCheckResult Failed(string environment, string why) =>
        new(RunOutcome.Error, null, $"# ⚠️ ERROR: orchprep check, environment {environment}\n\n**orchprep could not decide, so the deployment is rejected:** {why}\n", why);
}
