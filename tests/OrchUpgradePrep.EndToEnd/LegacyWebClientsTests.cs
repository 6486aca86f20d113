using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>requirements.legacy-web-service through the whole CLI: the web host's IIS logs, written by the sandbox as a
/// snapshot's iis-logs folder, read for clients of Orchestrator.svc.</summary>
public sealed class LegacyWebClientsTests
{
    [Fact]
    public async Task Check_warns_naming_both_clients_and_leaves_out_orchpreps_own_requests_and_exits_0()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=legacy-web-clients", "--only", "requirements.legacy-web-service", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal([("requirements.legacy-web-service", "orch-web01")], report.WithStatus("warning").ToArray());
        var check = report.Check("requirements.legacy-web-service", "orch-web01");
        var detail = check.GetProperty("detail").GetString()!;
        Assert.Contains("2 client(s)", detail, StringComparison.Ordinal);
        Assert.Contains(@"10.0.0.31 as CONTOSO\svc-scsm", detail, StringComparison.Ordinal);
        Assert.Contains(@"10.0.0.57 as CONTOSO\jdoe", detail, StringComparison.Ordinal);
        var evidence = check.GetProperty("evidence").ToString();
        Assert.Contains("2 of them orchprep's own", evidence, StringComparison.Ordinal);
        Assert.Contains("not readable from here", evidence, StringComparison.Ordinal);
        Assert.Contains("release-notes-orchestrator-2022", check.GetProperty("remediation").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_the_ready_environment_is_met_with_only_orchpreps_own_requests()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=ready", "--only", "requirements.legacy-web-service", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal([("requirements.legacy-web-service", "orch-web01")], report.WithStatus("met").ToArray());
    }
}
