using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The programs prerequisite through the whole CLI against the sandbox's host snapshots.</summary>
public sealed class ProgramsCommandTests
{
    private static string Status(JsonElement check) => check.GetProperty("status").GetString()!;

    private static string Text(JsonElement check) =>
        string.Join("\n", [
            check.GetProperty("detail").GetString(),
            check.TryGetProperty("remediation", out var remediation) && remediation.ValueKind == JsonValueKind.String ? remediation.GetString() : null,
            .. check.GetProperty("evidence").EnumerateArray().Select(e => $"{e.GetProperty("source").GetString()}: {e.GetProperty("value").GetString()}")]);

    [Fact]
    public async Task ProgramsOpenSandbox_ExitsOne_AndNamesJdoeHisSessionAndTheDesignerOnOrchMs01()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=programs-open", "--only", "programs", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Outcome);
        Assert.All(report.Checks, c => Assert.Equal("programs", c.GetProperty("prerequisite").GetString()));

        var designer = report.Check("programs.orchestrator-programs", "orch-ms01");
        Assert.Equal("unmet", Status(designer));
        var text = Text(designer);
        Assert.Contains(@"CONTOSO\jdoe", text, StringComparison.Ordinal);
        Assert.Contains("session 2", text, StringComparison.Ordinal);
        Assert.Contains("RunbookDesigner.exe", text, StringComparison.Ordinal);
        Assert.Contains("PID 7344", text, StringComparison.Ordinal);
        Assert.Contains(@"ask CONTOSO\jdoe to close it (session 2)", text, StringComparison.Ordinal);

        Assert.Equal("unmet", Status(report.Check("programs.other-sessions", "orch-ms01")));
        var admin = report.Check("programs.other-sessions", "orch-rb02");
        Assert.Equal("warning", Status(admin));
        Assert.Contains(@"CONTOSO\admin2", Text(admin), StringComparison.Ordinal);

        // Nothing else is wrong: every other programs row is met.
        Assert.Equal(
            [("programs.orchestrator-programs", "orch-ms01"), ("programs.other-sessions", "orch-ms01")],
            report.WithStatus("unmet").Order());
        Assert.Empty(report.WithStatus("error"));
        Assert.Equal(12 - 3, report.WithStatus("met").Count());
    }

    [Fact]
    public async Task ReadySandbox_HasNoProgramsOpen_AndExitsZero()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=ready", "--only", "programs", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal(12, report.Checks.Count);
        Assert.All(report.Checks, c => Assert.Equal("met", Status(c)));
    }
}
