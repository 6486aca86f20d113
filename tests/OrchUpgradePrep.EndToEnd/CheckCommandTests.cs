using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The whole CLI as a process against the built-in sandbox (L1).</summary>
public sealed class CheckCommandTests
{
    private static readonly string[] Statuses = ["met", "unmet", "warning", "skipped", "error"];
    private static readonly string[] Prerequisites = ["runbooks", "programs", "restart", "backup", "requirements", "accounts"];

    [Fact]
    public async Task ReadySandbox_ExitsZero_AndWritesAReportThatMatchesTheDesignSchema()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=ready", "--format", "json", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        var root = report.Root;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("orchprep", root.GetProperty("tool").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("tool").GetProperty("version").GetString()));
        Assert.Equal("check", root.GetProperty("mode").GetString());
        Assert.Equal("sandbox", root.GetProperty("environment").GetString());
        Assert.Equal("2022", root.GetProperty("target").GetString());
        Assert.Equal("met", report.Outcome);
        Assert.True(DateTimeOffset.Parse(root.GetProperty("finishedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >=
                    DateTimeOffset.Parse(root.GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("actions").ValueKind);
        Assert.True(report.Checks.Count >= 20, $"only {report.Checks.Count} checks ran");
        foreach (var check in report.Checks)
        {
            Assert.Matches(@"^[a-z]+\.[a-z0-9-]+$", check.GetProperty("id").GetString()!);
            Assert.Contains(check.GetProperty("prerequisite").GetString(), Prerequisites);
            Assert.Contains(check.GetProperty("status").GetString(), Statuses);
            Assert.False(string.IsNullOrEmpty(check.GetProperty("host").GetString()));
            Assert.False(string.IsNullOrEmpty(check.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(check.GetProperty("detail").GetString()));
            Assert.Equal(JsonValueKind.Array, check.GetProperty("evidence").ValueKind);
            Assert.StartsWith("docs/checks/", check.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
            Assert.True(check.GetProperty("durationMs").GetInt64() >= 0);
            Assert.NotEqual("unmet", check.GetProperty("status").GetString());
            Assert.NotEqual("error", check.GetProperty("status").GetString());
        }

        // Every host of the sandbox was checked, each from its own snapshot.
        // (environment-scope rows carry the environment's name: the SQL and backup checks, run against the sandbox's TDS server.)
        Assert.Equal(
            ["orch-ms01", "orch-rb02", "orch-rb03", "orch-web01", "sandbox"],
            report.Checks.Select(c => c.GetProperty("host").GetString()).Distinct().Order());
        Assert.Contains(("backup.recent-full-verified", "sandbox"), report.WithStatus("met"));
        Assert.Contains(("requirements.sql-collation", "sandbox"), report.WithStatus("met"));

        // --format json prints the same report on stdout, and nothing else.
        Assert.Equal("met", ReportJson.Parse(run.StandardOutput).Outcome);
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "report.md")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "junit.xml")));
    }

    [Fact]
    public async Task RequirementsUnmetSandbox_ExitsOne_AndNamesEachUnmetRequirementWithEvidenceAndRemediation()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=requirements-unmet", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal("unmet", report.Outcome);
        (string Id, string Host)[] expected =
        [
            ("requirements.os-version", "orch-ms01"),
            ("requirements.memory", "orch-ms01"),
            ("requirements.cpu", "orch-ms01"),
            ("requirements.disk", "orch-ms01"),
            ("requirements.upgrade-path", "orch-ms01"),
            ("requirements.desktop-experience", "orch-rb02"),
            ("requirements.dotnet-framework", "orch-rb02"),
            ("requirements.iis", "orch-web01"),
            ("requirements.aspnetcore-hosting-bundle", "orch-web01"),
        ];
        var unmet = report.WithStatus("unmet").ToHashSet();
        foreach (var item in expected)
        {
            Assert.True(unmet.Contains(item), $"{item} is not unmet; unmet: {string.Join(", ", unmet)}\n{run}");
            var check = report.Check(item.Id, item.Host);
            Assert.NotEmpty(check.GetProperty("evidence").EnumerateArray());
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("remediation").GetString()), $"{item} has no remediation");
        }

        // The console report names them too, for the person reading the log.
        foreach (var item in expected)
        {
            Assert.Contains(item.Id, run.StandardOutput, StringComparison.Ordinal);
        }

        // 2016 → 2022 is not one step: the report says which steps.
        var path = report.Check("requirements.upgrade-path", "orch-ms01").GetProperty("detail").GetString()!;
        Assert.Contains("2019", path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetFromEnvironmentVariable_OverridesTheSandboxTarget()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["ORCHPREP_TARGET"] = "2025", ["ORCHPREP_OUTPUT"] = "out" };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--sandbox", "--only", "requirements.upgrade-path");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal("2025", report.Root.GetProperty("target").GetString());
        Assert.All(report.Checks, c => Assert.Equal("requirements.upgrade-path", c.GetProperty("id").GetString()));
        Assert.Contains(("requirements.upgrade-path", "orch-ms01"), report.WithStatus("unmet"));
    }

    [Fact]
    public async Task FlagBeatsEnvironmentVariable()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["ORCHPREP_TARGET"] = "2025" };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--sandbox=ready", "--target", "2022", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2022", ReportJson.Parse(run.StandardOutput).Root.GetProperty("target").GetString());
    }

    [Fact]
    public async Task SkippedCheck_IsReportedAsSkippedWithItsReason()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=requirements-unmet", "--skip", "requirements", "--skip", "backup", "--skip", "runbooks", "--skip", "programs", "--skip", "restart", "--skip", "accounts", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var requirements = report.Checks.Where(c => c.GetProperty("prerequisite").GetString() == "requirements").ToArray();
        Assert.NotEmpty(requirements);
        Assert.All(requirements, c => Assert.Equal("skipped by --skip", c.GetProperty("detail").GetString()));
        Assert.All(report.Checks, c => Assert.Equal("skipped", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task HealthySandbox_CheckReportsTheStaleBackup_AndChangesNothing()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Contains(("backup.recent-full-verified", "sandbox"), report.WithStatus("unmet"));
        Assert.Empty(report.Root.GetProperty("actions").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, report.Root.GetProperty("backup").ValueKind);
    }
}
