using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Programs;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Programs.ProgramFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

public sealed class OtherSessionsCheckTests
{
    private static readonly OtherSessionsCheck Check = new();

    [Fact]
    public async Task Services_console_and_listener_sessions_without_users_are_met_and_listed()
    {
        var outcome = await Run(Check, QuietHost());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, "session 0: Disconnected, user none", "session 1: Connected, user none", "session 65536: Listen, user none");
    }

    [Fact]
    public async Task No_sessions_at_all_is_met()
    {
        var host = QuietHost();
        host.Sessions = [];

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, "no sessions");
    }

    [Theory]
    [InlineData("Active")]
    [InlineData("Disconnected")]
    [InlineData("disconnected")]
    [InlineData("Unknown")] // a remote CIM read cannot tell active from disconnected
    public async Task A_signed_in_user_is_a_warning_with_session_user_state_and_client(string state)
    {
        var outcome = await Run(Check, QuietHost().With(S(3, @"CONTOSO\admin2", state, "ADM-LAPTOP2")));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(@"CONTOSO\admin2 (session 3", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("cannot tell its own session", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $"session 3: {state}, user CONTOSO\\admin2, client ADM-LAPTOP2");
        Assert.Contains("logoff", outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, @"NT AUTHORITY\SYSTEM", "Active")]
    [InlineData(0, @"CONTOSO\jdoe", "Disconnected")]
    [InlineData(2, null, "Active")]
    [InlineData(2, "", "Disconnected")]
    [InlineData(65537, @"CONTOSO\jdoe", "Listen")]
    [InlineData(4, @"CONTOSO\jdoe", "Down")]
    public async Task Session_zero_sessions_without_a_user_and_other_states_do_not_count(int id, string? user, string state)
    {
        var host = QuietHost();
        host.Sessions = [S(id, user, state)];

        Assert.Equal(CheckStatus.Met, (await Run(Check, host)).Status);
    }

    [Fact]
    public async Task Several_users_are_all_listed()
    {
        var outcome = await Run(Check, QuietHost().With(S(2, @"CONTOSO\jdoe", "Disconnected"), S(3, @"CONTOSO\admin2", "Active")));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.StartsWith("2 user sessions", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, @"session 2: Disconnected, user CONTOSO\jdoe");
        AssertEvidence(outcome, @"session 3: Active, user CONTOSO\admin2");
    }

    [Fact]
    public async Task A_session_holding_an_orchestrator_program_is_unmet_and_refers_to_the_programs_check()
    {
        var host = QuietHost()
            .With(S(2, @"CONTOSO\jdoe", "Disconnected", "WS-JDOE"), S(3, @"CONTOSO\admin2", "Active"))
            .With(P(4321, "Runbook Tester.exe", 2, DesignerPath));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("Session 2 holds an Orchestrator program open (see programs.orchestrator-programs)", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "Runbook Tester.exe", "PID 4321", @"user CONTOSO\jdoe", "session 2 (Disconnected)");
        Assert.Contains(@"ask CONTOSO\jdoe to close it (session 2)", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_in_a_session_that_does_not_count_leaves_it_a_warning()
    {
        // The Designer in session 1 (no user) is programs.orchestrator-programs' business, not this check's.
        var outcome = await Run(Check, QuietHost().With(S(3, @"CONTOSO\admin2", "Active")).With(P(4321, "RunbookDesigner.exe", 1)));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
    }

    [Fact]
    public async Task Processes_are_not_read_when_nobody_is_signed_in()
    {
        var host = QuietHost();
        host.Processes = null;

        Assert.Equal(CheckStatus.Met, (await Run(Check, host)).Status);
    }

    [Fact]
    public async Task Unreadable_processes_with_a_user_signed_in_are_an_error_not_a_warning()
    {
        var host = QuietHost().With(S(2, @"CONTOSO\jdoe", "Disconnected"));
        host.Processes = null;

        Assert.Equal(CheckStatus.Error, (await RunThroughRunner(Check, host)).Status);
    }
}
