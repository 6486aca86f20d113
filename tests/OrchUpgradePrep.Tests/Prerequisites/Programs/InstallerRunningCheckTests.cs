using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Programs;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Programs.ProgramFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

public sealed class InstallerRunningCheckTests
{
    private static readonly InstallerRunningCheck Check = new();

    [Fact]
    public async Task No_installer_is_met()
    {
        var outcome = await Run(Check, QuietHost());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, "SetupOrchestrator.exe", "msiexec.exe");
    }

    [Theory]
    [InlineData("msiexec.exe")]
    [InlineData("MSIEXEC.EXE")]
    public async Task The_installer_service_in_session_zero_is_a_warning_that_says_the_mutex_cannot_be_read(string image)
    {
        var outcome = await Run(Check, QuietHost().With(P(5120, image, 0)));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(InstallerRunningCheck.ServiceWarning, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("the _MSIExecute mutex cannot be read remotely", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "PID 5120", "session 0", @"C:\Windows\System32\" + image);
        Assert.Contains("CommandLine", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_install_in_a_user_session_is_unmet_naming_its_user()
    {
        var host = QuietHost().With(P(5120, "msiexec.exe", 0), P(6200, "msiexec.exe", 3)).With(S(3, @"CONTOSO\admin2", "Active"));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"Windows Installer (msiexec.exe, PID 6200) in session 3 (CONTOSO\admin2)", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("PID 5120", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(2, outcome.Evidence.Count);
        Assert.Contains(@"ask CONTOSO\admin2 to let it finish or cancel it (session 3)", outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Orchestrator_setup_running_is_unmet_in_any_session(int session)
    {
        var host = QuietHost().With(P(7000, "SetupOrchestrator.exe", session, @"D:\SetupOrchestrator.exe")).With(S(2, @"CONTOSO\jdoe", "Active"));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("Orchestrator Setup (SetupOrchestrator.exe, PID 7000)", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "PID 7000", $"session {session}", @"D:\SetupOrchestrator.exe");
    }

    [Fact]
    public async Task Several_installers_are_each_evidence()
    {
        var host = QuietHost().With(P(7000, "setuporchestrator.exe", 2), P(7010, "msiexec.exe", 2), P(5120, "msiexec.exe", 0)).With(S(2, @"CONTOSO\jdoe", "Active"));

        var outcome = await Run(Check, host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Equal(3, outcome.Evidence.Count);
        Assert.Contains("PID 7000", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains("PID 7010", outcome.Remediation, StringComparison.Ordinal);
    }
}
