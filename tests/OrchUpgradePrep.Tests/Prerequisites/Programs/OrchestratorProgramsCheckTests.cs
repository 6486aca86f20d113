using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Programs;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Programs.ProgramFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

public sealed class OrchestratorProgramsCheckTests
{
    private static readonly OrchestratorProgramsCheck Check = new();

    [Fact]
    public async Task No_desktop_program_is_met_even_with_the_services_and_policy_modules_running()
    {
        var outcome = await Run(Check, QuietHost());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("7 processes", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("browser", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "RunbookDesigner.exe", "Runbook Tester.exe", "DeploymentManager.exe");
    }

    [Fact]
    public async Task Designer_in_a_disconnected_session_is_unmet_naming_pid_user_session_and_path()
    {
        var host = QuietHost().With(P(4321, "RunbookDesigner.exe", 2, DesignerPath)).With(S(2, @"CONTOSO\jdoe", "Disconnected", "WS-JDOE"));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"Runbook Designer in session 2 (CONTOSO\jdoe)", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "RunbookDesigner.exe (Runbook Designer)", "PID 4321", @"user CONTOSO\jdoe", "session 2 (Disconnected)", DesignerPath);
        Assert.Contains(@"Runbook Designer (PID 4321): ask CONTOSO\jdoe to close it (session 2).", outcome.Remediation, StringComparison.Ordinal);
        Assert.Single(outcome.Evidence);
    }

    [Fact]
    public async Task Several_programs_in_several_sessions_are_each_listed_with_their_own_user()
    {
        var host = QuietHost()
            .With(P(5001, "RunbookDesigner.exe", 3, DesignerPath), P(4321, "RunbookDesigner.exe", 2, DesignerPath), P(5002, "DeploymentManager.exe", 3))
            .With(S(2, @"CONTOSO\jdoe", "Disconnected"), S(3, @"CONTOSO\ann", "Active"));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.StartsWith("3 Orchestrator programs open", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Evidence.Count);
        Assert.Contains("PID 4321", outcome.Evidence[0].Value, StringComparison.Ordinal);
        Assert.Contains(@"ask CONTOSO\jdoe to close it (session 2)", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains(@"Deployment Manager (PID 5002): ask CONTOSO\ann to close it (session 3)", outcome.Remediation, StringComparison.Ordinal);
        AssertEvidence(outcome, "DeploymentManager.exe (Deployment Manager, image name unconfirmed)");
    }

    [Theory]
    [InlineData("RunbookTester.exe")]
    [InlineData("Runbook Tester.exe")]
    [InlineData("runbooktester.EXE")]
    [InlineData("RUNBOOKDESIGNER.EXE")]
    [InlineData("RunbookDesigner")]
    public async Task Both_tester_spellings_and_any_case_are_found(string image)
    {
        var outcome = await Run(Check, QuietHost().With(P(900, image, 2)).With(S(2, @"CONTOSO\ann", "Active")));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        AssertEvidence(outcome, image, "PID 900", @"user CONTOSO\ann");
    }

    [Theory]
    [InlineData("PolicyModule.exe")]
    [InlineData("OrchestratorManagementService.exe")]
    [InlineData("RunbookServerMonitorService.exe")]
    [InlineData("w3wp.exe")]
    [InlineData("iexplore.exe")]
    [InlineData("RunbookDesigner.exe.config")]
    public async Task Services_runbooks_and_browsers_are_not_programs(string image)
    {
        Assert.Equal(CheckStatus.Met, (await Run(Check, QuietHost().With(P(900, image, 2)))).Status);
    }

    [Fact]
    public async Task Unreadable_sessions_leave_the_verdict_and_say_why_the_user_is_unknown()
    {
        var host = QuietHost().With(P(4321, "RunbookDesigner.exe", 2, null));
        host.Sessions = null;

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        AssertEvidence(outcome, "user unknown (sessions unknown: fake host has no sessions)", "path not reported");
        Assert.Contains("ask the user of session 2 to close it (session 2)", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_owner_given_by_the_source_wins_over_the_session_user()
    {
        var host = QuietHost().With(P(4321, "RunbookDesigner.exe", 2) with { UserName = @"CONTOSO\svc-orch" }).With(S(2, @"CONTOSO\jdoe", "Active"));

        AssertEvidence(await Run(Check, host), @"user CONTOSO\svc-orch");
    }
}
