using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>Hosts orchprep cannot reach are errors with the reason, never met, and the reachable hosts are still checked.</summary>
public sealed class HostsCommandTests
{
    [Fact]
    public async Task Unreachable_hosts_are_errors_with_the_reason_and_the_run_exits_3()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=host-unreachable", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var rb04 = report.Checks.Where(c => c.GetProperty("host").GetString() == "orch-rb04").ToList();
        var rb05 = report.Checks.Where(c => c.GetProperty("host").GetString() == "orch-rb05").ToList();
        Assert.NotEmpty(rb04);
        Assert.All(rb04, c => Assert.Equal("error", c.GetProperty("status").GetString()));
        Assert.All(rb04, c => Assert.Contains("refused the connection", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.All(rb05, c => Assert.Contains("no such host is known", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.GetProperty("host").GetString() == "orch-ms01" && c.GetProperty("status").GetString() == "met");
        Assert.DoesNotContain(report.Checks, c => c.GetProperty("status").GetString() == "unmet");
    }

    /// <summary>A config for one host named <paramref name="host"/>, read live (no snapshot), and nothing else.</summary>
    internal static string LocalHostConfig(string directory, string host)
    {
        var path = Path.Combine(directory, "orchprep.yml");
        File.WriteAllText(path, $"""
            environments:
              prod:
                target: "2022"
                hosts:
                  - name: {host}
                    roles: [management-server, runbook-server]
            """);
        return path;
    }

    [Fact]
    public async Task Inside_a_container_this_machine_is_an_error_naming_the_container_never_met()
    {
        using var dir = new TempDirectory();
        var config = LocalHostConfig(dir.Path, "localhost");

        var run = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["DOTNET_RUNNING_IN_CONTAINER"] = "true" },
            "check", "--config", config, "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var checks = ReportJson.Parse(run.StandardOutput).Checks.Where(c => c.GetProperty("host").GetString() == "localhost").ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.Equal("error", c.GetProperty("status").GetString()));
        Assert.All(checks, c => Assert.Contains("orchprep runs in a container (DOTNET_RUNNING_IN_CONTAINER=true)", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }
}
