using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>prepare ends nobody's programs unless asked; with --close-programs it closes the Orchestrator ones and says whose.</summary>
public sealed class CloseProgramsCommandTests
{
    [Fact]
    public async Task Without_the_switch_prepare_leaves_the_designer_open_and_names_who_to_ask()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=programs-open", "--only", "programs", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Check("programs.orchestrator-programs", "orch-ms01").GetProperty("status").GetString());
        Assert.DoesNotContain("close-program", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_close_programs_the_designer_is_closed_recorded_with_its_user_and_the_check_passes()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=programs-open", "--only", "programs", "--close-programs", "--format", "json");

        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("met", report.Check("programs.orchestrator-programs", "orch-ms01").GetProperty("status").GetString());
        var action = Assert.Single(report.Root.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "close-program");
        Assert.Equal("closed", action.GetProperty("outcome").GetString());
        Assert.Contains("RunbookDesigner.exe", action.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Contains(@"CONTOSO\jdoe", action.GetProperty("target").GetString(), StringComparison.Ordinal);
        // admin2's session on orch-rb02 is still there (a warning): only Orchestrator programs are closed, never sessions.
        Assert.Equal("warning", report.Check("programs.other-sessions", "orch-rb02").GetProperty("status").GetString());
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Check_does_not_accept_the_switch()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=programs-open", "--close-programs");

        Assert.True(run.ExitCode == 2, run.ToString());
    }
}
