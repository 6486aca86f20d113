using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Tests.Reporting;

/// <summary>A fixed report with every status across two hosts and two prerequisites, and values that try to break every format.</summary>
internal static class SampleReport
{
    public static readonly DateTimeOffset Started = new(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(1));

    public static Report Create(string? secret = null)
    {
        var s = secret is null ? string.Empty : $" token={secret}";
        return new Report
        {
            Tool = new ToolInfo("orchprep", "0.1.0"),
            Mode = RunMode.Check,
            Environment = "prod",
            Target = "2022",
            Outcome = RunOutcome.Unmet,
            StartedAt = Started,
            FinishedAt = Started.AddSeconds(12.5),
            Checks =
            [
                new CheckResult
                {
                    Id = "runbooks.no-running-jobs",
                    Prerequisite = Prerequisite.Runbooks,
                    Host = "orch-ms01",
                    Status = CheckStatus.Unmet,
                    Title = "No runbook job is running",
                    Detail = "2 jobs running; monitor ] still active | see <below> & act" + s,
                    Evidence =
                    [
                        new Evidence("ORCH.POLICYINSTANCES", "Job 42 | status=Running\r\nJob 43 `pending`" + s),
                        new Evidence("query", "100% of ::set-output:: [red]x[/]"),
                    ],
                    Remediation = "Stop them with `orchprep prepare --drain stop` | or wait",
                    HelpUri = "docs/checks/runbooks.no-running-jobs.md",
                    DurationMs = 1234,
                },
                new CheckResult
                {
                    Id = "runbooks.no-running-jobs",
                    Prerequisite = Prerequisite.Runbooks,
                    Host = "orch-web01",
                    Status = CheckStatus.Met,
                    Title = "No runbook job is running",
                    Detail = "No job is running",
                    Evidence = [new Evidence("ORCH.POLICYINSTANCES", "0 rows")],
                    HelpUri = "docs/checks/runbooks.no-running-jobs.md",
                    DurationMs = 20,
                },
                new CheckResult
                {
                    Id = "restart.cbs-reboot-pending",
                    Prerequisite = Prerequisite.Restart,
                    Host = "orch-ms01",
                    Status = CheckStatus.Warning,
                    Title = "Component Based Servicing needs no restart",
                    Detail = "RebootInProgress is set: [red]value[/] 50%\nsecond line",
                    Evidence = [new Evidence(@"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootInProgress", "present")],
                    Remediation = "Restart the host; then re-run",
                    HelpUri = "docs/checks/restart.cbs-reboot-pending.md",
                    DurationMs = 7,
                },
                new CheckResult
                {
                    Id = "restart.pending-file-rename",
                    Prerequisite = Prerequisite.Restart,
                    Host = "orch-web01",
                    Status = CheckStatus.Skipped,
                    Title = "No file rename is pending",
                    Detail = "Skipped by policy: AV updater, see change 4711",
                    HelpUri = "docs/checks/restart.pending-file-rename.md",
                },
                new CheckResult
                {
                    Id = "restart.windows-update",
                    Prerequisite = Prerequisite.Restart,
                    Host = "orch-web01",
                    Status = CheckStatus.Error,
                    Title = "Windows Update needs no restart",
                    Detail = "Access denied\u0001 reading HKLM; code=5" + s,
                    Evidence = [new Evidence("remote registry", "ERROR_ACCESS_DENIED (5)")],
                    HelpUri = "docs/checks/restart.windows-update.md",
                    DurationMs = 3001,
                },
            ],
            Notes = ["Prepare steps are not available yet: 50% done; see ::notes:: & <docs>"],
        };
    }
}
