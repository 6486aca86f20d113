using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>`orchprep prepare` against the sandbox's SQL Server (real SqlClient over TCP inside the CLI process):
/// the backup is taken, verified and hashed, and every fault scenario ends in the right, specific outcome.</summary>
public sealed class PrepareCommandTests
{
    [Fact]
    public async Task HealthySandbox_InNormalVerbosity_PrintsAShortReport_WithEveryNonMetCheckInFull()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StandardOutput.TrimEnd().Split('\n');
        Assert.True(lines.Length <= 60, $"{lines.Length} lines:\n{run.StandardOutput}");
        Assert.DoesNotContain(lines, l => l.StartsWith("    MET ", StringComparison.Ordinal));
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        foreach (var id in report.Root.GetProperty("checks").EnumerateArray()
                     .Where(c => c.GetProperty("status").GetString() is not ("met" or "skipped"))
                     .Select(c => c.GetProperty("id").GetString()!))
        {
            Assert.Contains(lines, l => l.Contains($"  {id}  ", StringComparison.Ordinal) && l.TrimStart().StartsWith("WARN", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("  orch-ms01  ", StringComparison.Ordinal) && l.Contains(" met", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthySandbox_TakesVerifiesAndHashesABackup_AndReportsItInTheBackupSection()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["ORCHPREP_SMK_PASSWORD"] = "Smk-Secret-4711" };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "prepare", "--sandbox", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("orchprep: backup 50%", run.StandardError, StringComparison.Ordinal);
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        var backup = report.Root.GetProperty("backup");
        Assert.Equal("verifyonly", backup.GetProperty("verified").GetString());
        Assert.True(backup.GetProperty("copyOnly").GetBoolean());
        Assert.True(backup.GetProperty("checksum").GetBoolean());
        Assert.True(backup.GetProperty("compressed").GetBoolean());
        Assert.Matches("^[0-9]+$", backup.GetProperty("firstLsn").GetString()!);
        Assert.Matches("^[0-9]+$", backup.GetProperty("lastLsn").GetString()!);
        var file = Assert.Single(backup.GetProperty("files").EnumerateArray().ToList());
        Assert.EndsWith("_orchprep.bak", file.GetProperty("path").GetString(), StringComparison.Ordinal);
        foreach (var id in new[] { "backup.taken", "backup.verifyonly", "backup.header", "backup.msdb-history", "backup.sha256", "backup.service-master-key", "backup.recent-full-verified" })
        {
            Assert.Contains((id, "sandbox"), report.WithStatus("met"));
        }

        Assert.Contains(report.Root.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "save-keys" && a.GetProperty("outcome").GetString() == "done");
        Assert.DoesNotContain("Smk-Secret-4711", run.StandardOutput + run.StandardError + File.ReadAllText(Path.Combine(dir.Path, "out", "report.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReportedSha256IsTheFilesRealHash()
    {
        using var dir = new TempDirectory();
        // A plain config keeps the files after the run: `orchprep sandbox` writes the environment, a second process prepares it.
        var config = await SandboxConfigAsync(dir.Path, "healthy");
        await using (config.Server)
        {
            // The config's hosts are snapshots, whose services prepare cannot stop (runbooks.starts-blocked would be unmet): this test is about the backup.
            var run = await OrchPrepProcess.RunAsync(dir.Path, config.Env, "prepare", "--config", "sandbox.orchprep.yml", "--skip", "runbooks", "--format", "json");
            Assert.True(run.ExitCode == 0, run.ToString());
            var file = ReportJson.Parse(run.StandardOutput).Root.GetProperty("backup").GetProperty("files")[0];
            var path = file.GetProperty("path").GetString()!;
            await using var stream = File.OpenRead(path);
            Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, TestContext.Current.CancellationToken)), file.GetProperty("sha256").GetString());
            Assert.Equal(new FileInfo(path).Length, file.GetProperty("bytes").GetInt64());
            Assert.StartsWith(file.GetProperty("sha256").GetString()! + "  ", File.ReadAllText(path + ".sha256"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_backup_of_prepare_sandbox_stays_in_the_output_folder_with_its_real_hash_and_a_later_run_continues_that_disk()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["ORCHPREP_SMK_PASSWORD"] = "Smk-Secret-4711" };
        var disk = Path.Combine(dir.Path, "out", "sandbox-server");

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "prepare", "--sandbox", "--output", "out");

        // The process has ended and its temp folder is gone: every file the report names is still there, as it says.
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        var files = report.Root.GetProperty("backup").GetProperty("files").EnumerateArray().ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var path = file.GetProperty("path").GetString()!;
            Assert.StartsWith(disk + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            Assert.True(File.Exists(path), $"{path} is gone\n{run}");
            await using (var stream = File.OpenRead(path))
            {
                Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, TestContext.Current.CancellationToken)), file.GetProperty("sha256").GetString());
            }

            Assert.Equal(new FileInfo(path).Length, file.GetProperty("bytes").GetInt64());
            Assert.Equal($"{file.GetProperty("sha256").GetString()}  {Path.GetFileName(path)}\n", File.ReadAllText(path + ".sha256"));
            await AssertSha256sumAcceptsAsync(path + ".sha256");
        }

        var first = files[0].GetProperty("path").GetString()!;
        Assert.True(File.Exists(first + ".orchprep.json"));
        var keyFile = report.Root.GetProperty("actions").EnumerateArray()
            .Select(a => a.GetProperty("target").GetString()!).Single(t => t.EndsWith(".smk", StringComparison.Ordinal));
        Assert.StartsWith(disk + Path.DirectorySeparatorChar, keyFile, StringComparison.Ordinal);
        Assert.True(File.Exists(keyFile));
        Assert.Empty(Directory.EnumerateFiles(disk, "*.mdf", SearchOption.AllDirectories));

        // resume and a later prepare with the same --output run against the same disk: the first backup is still there beside the new one.
        var resumed = await OrchPrepProcess.RunAsync(dir.Path, env, "resume", "--sandbox", "--output", "out");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken); // backup names carry the second
        var again = await OrchPrepProcess.RunAsync(dir.Path, env, "prepare", "--sandbox", "--output", "out");
        Assert.True(again.ExitCode == 0, again.ToString());
        var second = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json")).Root.GetProperty("backup").GetProperty("files")[0].GetProperty("path").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(Path.GetDirectoryName(first), Path.GetDirectoryName(second));
        Assert.True(File.Exists(first) && File.Exists(second), again.ToString());
    }

    /// <summary>`sha256sum -c` from the backup folder, as docs/backup.md tells a user; skipped where there is no sha256sum.</summary>
    private static async Task AssertSha256sumAcceptsAsync(string checksumFile)
    {
        var tool = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "sha256sum")).FirstOrDefault(File.Exists);
        if (tool is null)
        {
            return;
        }

        var info = new System.Diagnostics.ProcessStartInfo(tool) { WorkingDirectory = Path.GetDirectoryName(checksumFile)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.GetFileName(checksumFile));
        var check = await OrchPrepProcess.RunAsync(info, TimeSpan.FromSeconds(60));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(": OK", check.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("corrupt-backup", "backup.verifyonly", "3183")]
    [InlineData("connection-drop", "backup.taken", "transport-level")]
    [InlineData("low-disk", "backup.free-space", "free")]
    [InlineData("no-permission", "backup.permissions", "BACKUP DATABASE")]
    public async Task FaultScenarios_AreNeverReportedAsAGoodBackup(string scenario, string unmetCheck, string detailContains)
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", $"--sandbox={scenario}", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Contains((unmetCheck, "sandbox"), report.WithStatus("unmet"));
        var check = report.Checks.First(c => c.GetProperty("id").GetString() == unmetCheck);
        Assert.Contains(detailContains, check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var backup = report.Root.GetProperty("backup");
        Assert.True(backup.ValueKind == JsonValueKind.Null || backup.GetProperty("verified").GetString() == "none", backup.ToString());
        Assert.DoesNotContain(("backup.recent-full-verified", "sandbox"), report.WithStatus("met"));
    }

    [Fact]
    public async Task ExpressEdition_BacksUpWithoutCompression()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=express-edition", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var backup = ReportJson.Parse(run.StandardOutput).Root.GetProperty("backup");
        Assert.False(backup.GetProperty("compressed").GetBoolean());
        Assert.Equal("verifyonly", backup.GetProperty("verified").GetString());
    }

    [Fact]
    public async Task LeastPrivilege_ChecksAndPreparesWithTheDocumentedGrantsOnly()
    {
        using var dir = new TempDirectory();

        var check = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=least-privilege", "--format", "json");
        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=least-privilege", "--verify", "restore", "--format", "json");

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(prepare.ExitCode == 0, prepare.ToString());
        var checkReport = ReportJson.Parse(check.StandardOutput);
        var report = ReportJson.Parse(prepare.StandardOutput);
        Assert.Empty(checkReport.WithStatus("unmet"));
        Assert.Empty(report.WithStatus("unmet"));
        Assert.Empty(report.WithStatus("error"));
        // The runbook path's SELECTs, msdb's history, the backup, VERIFYONLY and the test restore all ran as the login.
        Assert.Contains(("runbooks.sources-agree", "sandbox"), report.WithStatus("met"));
        Assert.Contains(("backup.msdb-history", "sandbox"), report.WithStatus("met"));
        Assert.Contains(("backup.test-restore", "sandbox"), report.WithStatus("met"));
        Assert.Equal("restore", report.Root.GetProperty("backup").GetProperty("verified").GetString());
        // Only the optional CONTROL SERVER is missing: the key is left to the administrator.
        Assert.Contains(("backup.permissions", "sandbox"), report.WithStatus("warning"));
        var permissions = report.Checks.First(c => c.GetProperty("id").GetString() == "backup.permissions");
        Assert.Contains("CONTROL SERVER", permissions.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRestore_RestoresACopyRunsCheckDbAndDropsIt()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox", "--verify", "restore", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Contains(("backup.test-restore", "sandbox"), report.WithStatus("met"));
        Assert.Equal("restore", report.Root.GetProperty("backup").GetProperty("verified").GetString());
        Assert.Contains(report.Root.GetProperty("actions").EnumerateArray(), a => a.GetProperty("detail").GetString() == "test-restore copy dropped");
    }

    [Fact]
    public async Task OldSql_IsUnmetForTheTarget()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=old-sql", "--only", "requirements.sql-version", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(("requirements.sql-version", "sandbox"), ReportJson.Parse(run.StandardOutput).WithStatus("unmet"));
    }

    private static async Task<(IReadOnlyDictionary<string, string?> Env, IAsyncDisposable Server)> SandboxConfigAsync(string directory, string scenario)
    {
        const string Password = "e2e-Pw-0815";
        // Not "orchprep": the web user is masked as a credential, and the tool's own name must stay readable.
        const string WebUser = "e2e-web-user";
        var session = await OrchUpgradePrep.Sandbox.SandboxSession.StartAsync(scenario, TimeProvider.System, TestContext.Current.CancellationToken, Path.Combine(directory, "orchprep-sandbox"),
            sqlPassword: Password, webUser: WebUser);
        File.WriteAllText(Path.Combine(directory, "sandbox.orchprep.yml"), OrchUpgradePrep.Sandbox.SandboxConfigWriter.Render(session, directory));
        return (new Dictionary<string, string?> { ["ORCHPREP_SANDBOX_PASSWORD"] = Password, ["ORCHPREP_SANDBOX_USER"] = WebUser }, session);
    }
}
