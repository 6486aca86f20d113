using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The fault matrix (issue #9, docs/reliability.md): the whole CLI as a process against the sandbox with one fault
/// injected per test; each asserts the exit code, the outcome, the report, and that nothing is lost or reported good
/// that is not. The rows of the table are in <see cref="FaultMatrix.Rows"/>; FaultMatrixDocTests keeps the doc in step.
/// </summary>
public sealed class FaultMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- SQL Server ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Sql_connection_refused_makes_the_backup_checks_errors_exit_3()
    {
        using var dir = new TempDirectory();
        var closed = ClosedPort();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready",
            editConfig: c => System.Text.RegularExpressions.Regex.Replace(c, "server: \"[^\"]+\"", $"server: \"127.0.0.1,{closed}\""));

        var run = await sandbox.RunAsync("check", "--only", "backup", "--format", "json", "--check-timeout", "20s");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("error", report.Outcome);
        AssertAllErrors(report, "backup.", "connect");
    }

    [Fact]
    public async Task Sql_login_failure_is_an_error_naming_the_login_exit_3()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready");
        sandbox.Env[SandboxSession.PasswordVariable] = "not-the-password";

        var run = await sandbox.RunAsync("check", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        AssertAllErrors(report, "backup.", "Login failed");
        Assert.DoesNotContain("not-the-password", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_tls_certificate_not_trusted_is_an_error_exit_3()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready",
            editConfig: c => c.Replace("encrypt: optional", "encrypt: mandatory\n      trustServerCertificate: false", StringComparison.Ordinal));

        var run = await sandbox.RunAsync("check", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        AssertAllErrors(ReportJson.Parse(run.StandardOutput), "backup.", "pre-login handshake");
    }

    [Fact]
    public async Task Sql_connection_reset_mid_batch_is_an_error_never_met_exit_3()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", new SandboxFaults { Sql = SandboxSqlFault.DropConnectionOnHistoryQuery });

        var run = await sandbox.RunAsync("check", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var recent = report.Check("backup.recent-full-verified", "sandbox");
        Assert.Equal("error", recent.GetProperty("status").GetString());
        Assert.Contains("transport-level", recent.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(report.WithStatus("met"), c => c.Id == "backup.recent-full-verified");
    }

    [Fact]
    public async Task Sql_statement_slower_than_the_check_timeout_is_an_error_naming_the_timeout_exit_3()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", new SandboxFaults { SqlLatency = TimeSpan.FromSeconds(4) });

        var run = await sandbox.RunAsync("check", "--only", "backup", "--check-timeout", "1s", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("error", report.Outcome);
        Assert.Equal("error", report.Check("backup.recent-full-verified", "sandbox").GetProperty("status").GetString());
        Assert.DoesNotContain(report.WithStatus("met"), c => c.Id == "backup.recent-full-verified");
    }

    [Fact]
    public async Task Disk_full_while_the_backup_is_written_is_unmet_and_the_partial_file_is_removed()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { Sql = SandboxSqlFault.DiskFullMidBackup });

        var run = await sandbox.RunAsync("prepare", "--only", "backup", "--format", "json", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var taken = report.Check("backup.taken", "sandbox");
        Assert.Equal("unmet", taken.GetProperty("status").GetString());
        Assert.Contains("not enough space", taken.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoGoodBackup(report);
        Assert.Empty(Directory.GetFiles(sandbox.BackupDirectory, "*_orchprep.bak", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Backup_file_removed_between_backup_and_verify_is_never_reported_good()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { Sql = SandboxSqlFault.DeleteBackupAfterWrite });

        var run = await sandbox.RunAsync("prepare", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var verify = report.Check("backup.verifyonly", "sandbox");
        Assert.Equal("unmet", verify.GetProperty("status").GetString());
        Assert.Contains("cannot find the file", verify.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoGoodBackup(report);
    }

    [Fact]
    public async Task Msdb_history_missing_after_the_backup_is_unmet_and_the_backup_not_reported_recent()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { Sql = SandboxSqlFault.NoMsdbHistory });

        var run = await sandbox.RunAsync("prepare", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Outcome);
        Assert.Equal("unmet", report.Check("backup.msdb-history", "sandbox").GetProperty("status").GetString());
        Assert.DoesNotContain(report.WithStatus("met"), c => c.Id == "backup.recent-full-verified");
    }

    // ---- Orchestrator web service ----------------------------------------------------------------------------------

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Web_service_failing_every_request_falls_back_to_the_database_and_says_so(int status)
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", new SandboxFaults { Web = new SandboxWebServiceFaults { FailEvery = 1, FailStatus = status } });

        var run = await sandbox.RunAsync("check", "--only", "runbooks", "--format", "json");

        AssertWebFaultSaidSo(run, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Web_service_that_never_answers_times_out_and_the_database_path_says_so()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", new SandboxFaults { Web = new SandboxWebServiceFaults { Latency = TimeSpan.FromMinutes(5) } });

        var run = await sandbox.RunAsync("check", "--only", "runbooks", "--format", "json", "--check-timeout", "4s");

        AssertWebFaultNeverMet(run);
    }

    [Fact]
    public async Task Web_service_slow_loris_body_is_cut_off_by_the_timeout_never_met()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", new SandboxFaults { Web = new SandboxWebServiceFaults { TrickleDelay = TimeSpan.FromMilliseconds(500) } });

        var run = await sandbox.RunAsync("check", "--only", "runbooks", "--format", "json", "--check-timeout", "4s");

        AssertWebFaultNeverMet(run);
    }

    [Fact]
    public async Task Web_service_malformed_xml_is_not_read_as_an_empty_job_list()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { Web = new SandboxWebServiceFaults { MalformedFeeds = true } });

        var run = await sandbox.RunAsync("check", "--only", "runbooks", "--format", "json");

        // The healthy world has running jobs: a truncated feed must not make them disappear.
        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Check("runbooks.none-running", "sandbox").GetProperty("status").GetString());
        Assert.NotEqual("met", report.Check("runbooks.sources-agree", "sandbox").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Web_service_paging_that_never_ends_is_stopped_and_never_met()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { Web = new SandboxWebServiceFaults { EndlessPaging = true } });

        var run = await sandbox.RunAsync("check", "--only", "runbooks", "--format", "json", "--check-timeout", "20s");

        Assert.True(run.ExitCode is 1 or 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.NotEqual("met", report.Check("runbooks.sources-agree", "sandbox").GetProperty("status").GetString());
        Assert.NotEqual("met", report.Check("runbooks.none-running", "sandbox").GetProperty("status").GetString());
        Assert.True(sandbox.Session.WebService!.Audit.Count < 5000, $"{sandbox.Session.WebService.Audit.Count} requests");
    }

    [Fact]
    public async Task Web_service_flaky_503_and_resets_are_retried_and_prepare_passes()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=flaky-web", "--output", "out", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("met", report.Check("runbooks.sources-agree", "sandbox").GetProperty("status").GetString());
        Assert.Equal("verifyonly", report.Root.GetProperty("backup").GetProperty("verified").GetString());
    }

    // ---- Runbooks ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Job_started_again_once_after_its_stop_is_stopped_too_and_the_drain_ends_drained()
    {
        using var dir = new TempDirectory();

        // The month-end close's schedule starts it again once after it is stopped.
        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=restarted-job", "--drain", "stop", "--drain-timeout", "2s", "--output", "out", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var drained = report.Check("runbooks.drained", "sandbox");
        Assert.Equal("met", drained.GetProperty("status").GetString());
        var monthEnd = Actions(report).Where(a => a.Kind == "runbook-stop" && a.Target.StartsWith(MonthEndClose, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, monthEnd.Count);
        Assert.All(monthEnd, a => Assert.Equal("stopped", a.Outcome));
        Assert.Equal(2, monthEnd.Select(a => a.Target).Distinct(StringComparer.Ordinal).Count());
        // Both stops are the drained verdict's evidence, and nothing of it runs afterwards.
        Assert.Equal(2, drained.GetProperty("evidence").EnumerateArray().Count(e => e.GetProperty("source").GetString()!.StartsWith($"runbook-stop: {MonthEndClose}", StringComparison.Ordinal)));
        Assert.Equal("met", report.Check("runbooks.none-running", "sandbox").GetProperty("status").GetString());
        Assert.Equal("met", report.Check("runbooks.starts-blocked", "sandbox").GetProperty("status").GetString());
        Assert.Equal("verifyonly", report.Root.GetProperty("backup").GetProperty("verified").GetString());
    }

    [Fact]
    public async Task Job_started_again_after_every_stop_ends_the_drain_unmet_and_no_service_or_backup_is_touched()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "busy",
            new SandboxFaults { JobRestarts = new OrchUpgradePrep.Sandbox.Orchestrator.SandboxJobRestarts("Month-end close", Times: null) });
        var servicesBefore = RunbookServices(sandbox);

        // Stops for RunbookDrain.StopGrace (30 s) after the 2 s timeout, then gives up.
        var run = await sandbox.RunAsync("prepare", "--drain", "stop", "--drain-timeout", "2s", "--output", "out", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Outcome);
        var drained = report.Check("runbooks.drained", "sandbox");
        Assert.Equal("unmet", drained.GetProperty("status").GetString());
        var detail = drained.GetProperty("detail").GetString()!;
        Assert.Contains("stayed active after a stop request", detail, StringComparison.Ordinal);
        // It names the job that runs now: the newest one the schedule started.
        var orchestrator = sandbox.Session.Orchestrator;
        var running = Assert.Single(orchestrator.Jobs(), j => j.Status == "Running" && orchestrator.Runbook(j.RunbookId)!.Path == MonthEndClose);
        Assert.Contains($"{MonthEndClose} (job {running.Id})", detail, StringComparison.Ordinal);
        Assert.True(Actions(report).Count(a => a.Kind == "runbook-stop" && a.Target.StartsWith(MonthEndClose, StringComparison.Ordinal) && a.Outcome == "stopped") >= 2);

        Assert.Equal("skipped", report.Check("runbooks.starts-blocked", "sandbox").GetProperty("status").GetString());
        Assert.Contains(Actions(report), a => a.Kind == "block-starts" && a.Outcome == "skipped");
        Assert.DoesNotContain(orchestrator.Changes, c => c.Contains(": service ", StringComparison.Ordinal));
        Assert.Equal(servicesBefore, RunbookServices(sandbox));
        Assert.Contains(Actions(report), a => a.Kind == "backup" && a.Outcome == "skipped");
        AssertNoGoodBackup(report);
        Assert.DoesNotContain(SandboxSqlAudit.Writes(sandbox.Session.SqlServer.Audit), r => r.Text.TrimStart().StartsWith("BACKUP", StringComparison.OrdinalIgnoreCase));

        // The monitor stopped by policy is kept for resume, which starts it again.
        var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "prepare-state.json"))).RootElement;
        Assert.Equal(1, state.GetProperty("stoppedMonitors").GetArrayLength());
        Assert.Equal(0, state.GetProperty("stoppedServices").GetArrayLength());
        var resume = await sandbox.RunAsync("resume", "--output", "out", "--format", "json");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains(Actions(ReportJson.Parse(resume.StandardOutput)), a => a.Kind == "start-monitor" && a.Outcome == "started");
    }

    // ---- Hosts -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Host_that_refuses_the_account_is_an_error_naming_access_denied_and_the_other_hosts_are_still_checked()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=access-denied", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("error", report.Outcome);
        var all = report.Checks.Where(c => c.GetProperty("host").GetString() == "orch-rb02").ToList();
        Assert.DoesNotContain(all, c => c.GetProperty("status").GetString() == "met");
        // A check the target does not need (requirements.vcredist for 2022) reads nothing from the host: skipped, with that reason.
        var notNeeded = all.Where(c => c.GetProperty("status").GetString() == "skipped").ToList();
        Assert.All(notNeeded, c => Assert.Contains("Orchestrator 2022", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
        var rb02 = all.Except(notNeeded).ToList();
        Assert.True(rb02.Count >= 10, $"{rb02.Count} checks of orch-rb02");
        Assert.All(rb02, c => Assert.Equal("error", c.GetProperty("status").GetString()));
        Assert.All(rb02, c => Assert.Contains("access denied", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
        foreach (var host in new[] { "orch-ms01", "orch-rb03", "orch-web01" })
        {
            Assert.Contains(report.Checks, c => c.GetProperty("host").GetString() == host && c.GetProperty("status").GetString() == "met");
            Assert.DoesNotContain(report.Checks, c => c.GetProperty("host").GetString() == host && c.GetProperty("status").GetString() == "error");
        }

        Assert.DoesNotContain(report.Checks, c => c.GetProperty("status").GetString() == "unmet");
    }

    [Fact]
    public async Task Access_denied_on_a_runbook_service_stop_fails_block_starts_and_reports_nothing_blocked_there()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=access-denied", "--output", "out", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Outcome);
        var blocked = report.Check("runbooks.starts-blocked", "sandbox");
        Assert.Equal("unmet", blocked.GetProperty("status").GetString());
        Assert.Contains("orch-rb02", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var actions = Actions(report).Where(a => a.Kind == "block-starts").ToList();
        var denied = Assert.Single(actions, a => a.Target.StartsWith("orch-rb02", StringComparison.Ordinal));
        Assert.Equal("failed", denied.Outcome);
        Assert.Contains("Access is denied", denied.Detail, StringComparison.Ordinal);
        Assert.Equal(["orch-ms01: orunbook", "orch-rb03: orunbook"], actions.Where(a => a.Outcome == "stopped").Select(a => a.Target));

        // With starts not blocked everywhere, no backup is taken (new jobs could overtake it; retention could rotate out a good one).
        var backup = Assert.Single(Actions(report), a => a.Kind == "backup");
        Assert.Equal("skipped", backup.Outcome);
        Assert.Contains("not blocked", backup.Detail, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, report.Root.GetProperty("backup").ValueKind);
        Assert.DoesNotContain(report.Checks, c => c.GetProperty("id").GetString() is "backup.taken" or "backup.verifyonly");

        // Only what was stopped is in the state for resume; orch-rb02's Runbook Service still runs.
        var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "prepare-state.json"))).RootElement;
        Assert.Equal(["orch-ms01", "orch-rb03"], state.GetProperty("stoppedServices").EnumerateArray().Select(s => s.GetProperty("host").GetString()));
        Assert.Equal([("ORCH-MS01", false), ("ORCH-RB02", true), ("ORCH-RB03", false)], WorldRunbookServices(dir.Path, "access-denied"));

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=access-denied", "--output", "out", "--format", "json");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal(2, Actions(ReportJson.Parse(resume.StandardOutput)).Count(a => a.Kind == "start-service" && a.Outcome == "started"));
        Assert.All(WorldRunbookServices(dir.Path, "access-denied"), s => Assert.True(s.Running, s.Host));
        PrepareStateFile.AssertListsNothing(Path.Combine(dir.Path, "out"));
    }

    [Fact]
    public async Task Host_whose_snapshot_is_gone_is_an_error_and_the_other_hosts_are_still_checked()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready");
        Directory.Delete(Path.Combine(sandbox.Session.Directory, sandbox.Session.Environment.Hosts.Single(h => h.Name == "orch-rb02").Snapshot!), recursive: true);

        var run = await sandbox.RunAsync("check", "--only", "restart", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var rb02 = report.Checks.Where(c => c.GetProperty("host").GetString() == "orch-rb02").ToList();
        Assert.NotEmpty(rb02);
        Assert.All(rb02, c => Assert.Equal("error", c.GetProperty("status").GetString()));
        Assert.Contains(report.Checks, c => c.GetProperty("host").GetString() == "orch-ms01" && c.GetProperty("status").GetString() == "met");
    }

    [Fact]
    public async Task Registry_value_of_the_wrong_type_is_not_read_as_absent()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready");
        var snapshot = Path.Combine(sandbox.Session.Directory, sandbox.Session.Environment.Hosts.Single(h => h.Name == "orch-ms01").Snapshot!);
        // Server Manager's CurrentRebootAttempts is a REG_DWORD; here it becomes a string (REG_SZ "1").
        var changed = 0;
        foreach (var reg in Directory.GetFiles(snapshot, "*.reg"))
        {
            string text;
            System.Text.Encoding encoding;
            using (var reader = new StreamReader(reg, detectEncodingFromByteOrderMarks: true))
            {
                text = await reader.ReadToEndAsync(Ct);
                encoding = reader.CurrentEncoding;
            }

            var wrong = System.Text.RegularExpressions.Regex.Replace(text, "\"CurrentRebootAttempts\"=dword:[0-9a-fA-F]+", "\"CurrentRebootAttempts\"=\"1\"");
            if (wrong != text)
            {
                changed++;
                await File.WriteAllTextAsync(reg, wrong, encoding, Ct);
            }
        }

        Assert.Equal(1, changed);

        var run = await sandbox.RunAsync("check", "--only", "restart", "--format", "json");

        Assert.True(run.ExitCode is 1 or 3, run.ToString());
        var check = ReportJson.Parse(run.StandardOutput).Check("restart.server-manager-reboot-attempts", "orch-ms01");
        Assert.NotEqual("met", check.GetProperty("status").GetString());
        Assert.Contains("REG_SZ", check.GetProperty("detail").GetString() + check.GetProperty("evidence").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_host_without_exported_iis_logs_is_an_error_for_the_legacy_web_service_and_its_other_checks_still_run()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready");
        var snapshot = Path.Combine(sandbox.Session.Directory, sandbox.Session.Environment.Hosts.Single(h => h.Name == "orch-web01").Snapshot!);
        Directory.Delete(Path.Combine(snapshot, "iis-logs"), recursive: true);

        var run = await sandbox.RunAsync("check", "--only", "requirements", "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var legacy = report.Check("requirements.legacy-web-service", "orch-web01");
        Assert.Equal("error", legacy.GetProperty("status").GetString());
        Assert.Contains("no iis-logs folder", legacy.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal([("requirements.legacy-web-service", "orch-web01")], report.WithStatus("error").ToArray());
        Assert.Equal("met", report.Check("requirements.iis", "orch-web01").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Corrupt_iis_log_lines_are_counted_as_unparseable_and_never_become_clients()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready");
        var snapshot = Path.Combine(sandbox.Session.Directory, sandbox.Session.Environment.Hosts.Single(h => h.Name == "orch-web01").Snapshot!);
        var newest = Directory.GetFiles(Path.Combine(snapshot, "iis-logs"), "u_ex*.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var lastWrite = File.GetLastWriteTimeUtc(newest);
        var lines = (await File.ReadAllLinesAsync(newest, Ct)).ToList();
        // A line cut off mid-write, then a fresh file's lines pasted in without their header.
        lines.Add(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc/Jobs - 81 CONTOSO\\mallory 10.6.6.6");
        lines.Insert(0, "2026-12-01 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc/Jobs - 81 - 10.6.6.7 curl/8.0 - 200 0 0 15");
        await File.WriteAllLinesAsync(newest, lines, Ct);
        File.SetLastWriteTimeUtc(newest, lastWrite);

        var run = await sandbox.RunAsync("check", "--only", "requirements.legacy-web-service", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var check = ReportJson.Parse(run.StandardOutput).Check("requirements.legacy-web-service", "orch-web01");
        Assert.Equal("met", check.GetProperty("status").GetString());
        var evidence = check.GetProperty("evidence").ToString();
        Assert.Contains("2 line(s) naming /Orchestrator2012/Orchestrator.svc could not be parsed", evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("10.6.6.", evidence, StringComparison.Ordinal);
    }

    // ---- Clock jumps -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Sql_server_clock_a_day_ahead_of_the_runner_leaves_the_backup_age_unchanged()
    {
        using var dir = new TempDirectory();
        // The SQL Server's clock jumped a day ahead: its "2 hours ago" backup finished 22 hours in the runner's future.
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", sqlClock: new ShiftedClock(TimeSpan.FromDays(1)));

        var run = await sandbox.RunAsync("check", "--only", "backup.recent-full-verified", "--format", "json");

        AssertAgeMeasuredOnTheServer(run);
    }

    [Fact]
    public async Task Sql_server_clock_three_days_behind_the_runner_leaves_the_backup_age_unchanged()
    {
        using var dir = new TempDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready", sqlClock: new ShiftedClock(-TimeSpan.FromDays(3)));

        var run = await sandbox.RunAsync("check", "--only", "backup.recent-full-verified", "--format", "json");

        AssertAgeMeasuredOnTheServer(run);
    }

    [Fact]
    public async Task Prepare_killed_mid_backup_leaves_a_fragment_that_later_runs_report_and_never_count()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "kills the process with SIGKILL while it backs up");
        using var dir = new TempDirectory();
        // 24 MiB at 15 ms per 64 KiB: about 6 s of BACKUP, long enough to kill it mid-write.
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "healthy", new SandboxFaults { BackupDelayPerChunk = TimeSpan.FromMilliseconds(15) });
        var folder = sandbox.Session.Environment.Policies.Backup.Directory!;
        string[] Baks() => [.. Directory.GetFiles(folder, "*_orchprep.bak").Order(StringComparer.Ordinal)];
        bool IsVerifiedSet(string bak) => File.Exists(bak) && File.Exists(bak + ".sha256") && File.Exists(bak + ".orchprep.json");
        async Task<ReportJson> PrepareAsync(int keep, bool removeUnverified)
        {
            var config = File.ReadAllText(sandbox.ConfigPath);
            File.WriteAllText(sandbox.ConfigPath, System.Text.RegularExpressions.Regex.Replace(config, @"backup: \{ directory: ('(?:[^']|'')*')[^}]*\}",
                m => $"backup: {{ directory: {m.Groups[1].Value}, keep: {keep}, removeUnverified: {(removeUnverified ? "true" : "false")} }}"));
            var run = await sandbox.RunAsync("prepare", "--only", "backup", "--format", "json");
            Assert.True(run.ExitCode == 0, run.ToString());
            return ReportJson.Parse(run.StandardOutput);
        }

        await PrepareAsync(keep: 2, removeUnverified: false);
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct); // file names carry the second
        await PrepareAsync(keep: 2, removeUnverified: false);
        var verified = Baks();
        Assert.Equal(2, verified.Length);

        // kill -9 at 20 %: no handler runs, so the partial .bak keeps orchprep's name and nothing marks it.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);
        using (var killed = Process.Start(OrchPrepProcess.StartInfo(dir.Path, sandbox.Env, "prepare", "--config", sandbox.ConfigPath, "--only", "backup", "--format", "json"))!)
        {
            var stdout = killed.StandardOutput.ReadToEndAsync(Ct);
            var (seen, stderr) = WatchStandardError(killed, "orchprep: backup 20%");
            await seen.WaitAsync(TimeSpan.FromSeconds(90), Ct);
            killed.Kill();
            await killed.WaitForExitAsync(Ct);
            _ = await stdout;
            _ = await stderr;
        }

        // The sandbox notices the dead client at its next progress message and stops writing, as SQL Server ends the session.
        var fragment = Assert.Single(Baks().Except(verified));
        Assert.False(File.Exists(fragment + ".orchprep.json"));
        Assert.True(new FileInfo(fragment).Length < new FileInfo(verified[0]).Length, "the killed backup is whole");

        // keep 2: the fragment is reported, not counted, and costs no verified set its place.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);
        var keep2 = await PrepareAsync(keep: 2, removeUnverified: false);
        var third = Assert.Single(Baks().Except(verified).Except([fragment]));
        Assert.All([.. verified, third], bak => Assert.True(IsVerifiedSet(bak), bak));
        Assert.True(File.Exists(fragment));
        Assert.Contains(Actions(keep2), a => a.Outcome == "kept" && a.Detail.StartsWith("unverified leftovers: " + Path.GetFileNameWithoutExtension(fragment) + " (no manifest", StringComparison.Ordinal));

        // keep 1, leftovers kept: still no verified set goes while an unverified one stays.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);
        await PrepareAsync(keep: 1, removeUnverified: false);
        Assert.Equal(4, Baks().Count(IsVerifiedSet));
        Assert.True(File.Exists(fragment));

        // keep 1 with removeUnverified: the fragment goes, and the newest verified set is the one kept.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);
        var keep1 = await PrepareAsync(keep: 1, removeUnverified: true);
        var newest = Assert.Single(Baks());
        Assert.True(IsVerifiedSet(newest));
        Assert.Equal(newest, keep1.Root.GetProperty("backup").GetProperty("files")[0].GetProperty("path").GetString());
        Assert.Contains(Actions(keep1), a => a.Outcome == "removed" && a.Detail.Contains(Path.GetFileName(fragment), StringComparison.Ordinal));
    }

    // ---- Cancellation (Ctrl+C) and concurrency ---------------------------------------------------------------------

    [Fact]
    public async Task Ctrl_C_mid_backup_exits_130_removes_the_partial_file_and_reports_no_backup()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2)");
        await CancelPrepareAtAsync("orchprep: backup 20%", afterSignal: (dir, report) =>
        {
            AssertNoGoodBackup(report);
            var actions = report.Root.GetProperty("actions").EnumerateArray().ToList();
            var backup = Assert.Single(actions, a => a.GetProperty("kind").GetString() == "backup");
            // BACKUP itself is stopped (the cancel is sent from SqlClient's message callback), its partial file removed.
            Assert.Equal("cancelled", backup.GetProperty("outcome").GetString());
            Assert.Contains("Removed the incomplete file(s):", backup.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Ctrl_C_mid_verify_exits_130_and_the_unverified_backup_is_not_reported_good()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2)");
        await CancelPrepareAtAsync("orchprep: verify: RESTORE VERIFYONLY", afterSignal: (_, report) =>
        {
            AssertNoGoodBackup(report);
            Assert.DoesNotContain(report.WithStatus("met"), c => c.Id == "backup.verifyonly");
        });
    }

    [Fact]
    public async Task Ctrl_C_while_block_starts_stops_the_runbook_services_keeps_each_stopped_one_for_resume()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2)");
        // The slow scenario takes 2 s to stop each Runbook Service: the signal lands while the first stop waits.
        await CancelPrepareAtAsync("orchprep: block-starts: stopping", afterSignal: (dir, report) =>
        {
            Assert.Equal("met", report.Check("runbooks.drained", "sandbox").GetProperty("status").GetString());
            var blocked = report.Check("runbooks.starts-blocked", "sandbox");
            Assert.Equal("error", blocked.GetProperty("status").GetString());
            Assert.Contains("cancelled during block starts", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var actions = Actions(report);
            Assert.Contains(actions, a => a.Kind == "block-starts" && a.Outcome == "cancelled");
            Assert.Contains(actions, a => a.Kind == "backup" && a.Outcome == "skipped");
            AssertNoGoodBackup(report);

            // Every Runbook Service the run stopped is in the report and in the state, so resume starts it: none is lost.
            // The signal usually lands while the first stop waits; when it lands before that stop was sent, nothing is
            // stopped, and then the state and the report must say nothing was (the equalities below), never "sent".
            var stoppedInWorld = WorldRunbookServices(dir, "slow").Where(s => !s.Running).Select(s => s.Host.ToLowerInvariant()).ToList();
            Assert.True(stoppedInWorld.Count < 3, "block starts finished before the signal");
            var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "prepare-state.json"))).RootElement;
            Assert.Equal(stoppedInWorld, state.GetProperty("stoppedServices").EnumerateArray().Select(s => s.GetProperty("host").GetString()));
            Assert.Equal(stoppedInWorld.Select(h => $"{h}: orunbook"), actions.Where(a => a.Kind == "block-starts" && a.Outcome == "stopped").Select(a => a.Target));
        }, afterResume: dir => Assert.All(WorldRunbookServices(dir, "slow"), s => Assert.True(s.Running, s.Host)));
    }

    [Fact]
    public async Task Ctrl_C_while_prepare_closes_programs_names_each_closed_one_and_starts_no_runbook_step_or_backup()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2)");
        // The slow scenario has jdoe's Runbook Designer and Runbook Tester open on orch-ms01, each taking 2 s to close once
        // asked. The second "closing" line comes after the Designer closed: the signal lands while the Tester is asked.
        await CancelPrepareAtAsync("orchprep: close-programs: closing", occurrence: 2, options: ["--close-programs"], afterSignal: (dir, report, run) =>
        {
            var actions = Actions(report);
            var programs = actions.Where(a => a.Kind == "close-program").ToList();
            Assert.Equal(2, programs.Count);
            Assert.Equal(("orch-ms01: RunbookDesigner.exe (PID 7344, CONTOSO\\jdoe, session 2)", "closed"), (programs[0].Target, programs[0].Outcome));
            // The one being closed when the signal came is not reported closed: nobody saw it close.
            Assert.Equal(("orch-ms01: RunbookTester.exe (PID 7412, CONTOSO\\jdoe, session 2)", "cancelled"), (programs[1].Target, programs[1].Outcome));
            Assert.Contains("may still be open", programs[1].Detail, StringComparison.Ordinal);

            // The runbook steps never started after the cancel: no drain, no block, nothing for resume.
            Assert.DoesNotContain("draining runbooks", run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("block-starts: stopping", run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain(actions, a => a.Kind is "block-starts" or "clear-orphans");
            Assert.All(actions.Where(a => a.Kind == "runbook-stop"), a => Assert.Equal("skipped", a.Outcome));
            Assert.DoesNotContain(report.Checks, c => c.GetProperty("id").GetString() is "runbooks.drained" or "runbooks.starts-blocked");
            Assert.False(File.Exists(Path.Combine(dir, "out", "prepare-state.json")), "a cancelled close-programs left a state for resume");
            Assert.All(WorldRunbookServices(dir, "slow"), s => Assert.True(s.Running, s.Host));
            Assert.DoesNotContain(WorldJobs(dir, "slow"), j => j.Status == "Canceled");

            // No backup taken or reported.
            Assert.DoesNotContain("orchprep: backup", run.StandardError, StringComparison.Ordinal);
            Assert.Contains(actions, a => a.Kind == "backup" && a.Outcome == "skipped");
            Assert.DoesNotContain(actions, a => a.Kind is "backup" or "verify" or "save-keys" && a.Outcome != "skipped");
            Assert.True(!report.Root.TryGetProperty("backup", out var backup) || backup.ValueKind == JsonValueKind.Null, backup.ToString());
            Assert.DoesNotContain(report.Checks, c => c.GetProperty("id").GetString()!.StartsWith("backup.", StringComparison.Ordinal) && c.GetProperty("status").GetString() == "met");
            Assert.True(File.Exists(Path.Combine(dir, "out", "junit.xml")), "no partial junit.xml");
        }, afterResume: dir =>
        {
            var resumed = ReportJson.Load(Path.Combine(dir, "out", "resume-report.json"));
            var check = resumed.Check("runbooks.resumed", "sandbox");
            Assert.Equal("skipped", check.GetProperty("status").GetString());
            Assert.StartsWith("nothing to undo: no prepare-state.json in", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Empty(Actions(resumed));
        });
    }

    [Fact]
    public async Task Two_prepare_runs_at_once_the_second_is_refused_with_exit_2_naming_the_first()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "stops the first run with SIGINT");
        using var dir = new TempDirectory();
        using var first = Process.Start(OrchPrepProcess.StartInfo(dir.Path, null, "prepare", "--sandbox=slow", "--output", "out", "--format", "json"))!;
        var firstOut = first.StandardOutput.ReadToEndAsync(Ct);
        var (started, firstErr) = WatchStandardError(first, "orchprep: backup 5%");
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(90), Ct);

            var second = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=slow", "--output", "out", "--format", "json");
            var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=slow", "--output", "out", "--format", "json");

            Assert.True(second.ExitCode == 2, second.ToString());
            Assert.Contains("another orchprep prepare or resume is running for environment 'sandbox'", second.StandardError, StringComparison.Ordinal);
            Assert.Contains($"pid {first.Id} on host {Environment.MachineName}", second.StandardError, StringComparison.Ordinal);
            Assert.Equal(string.Empty, second.StandardOutput);
            Assert.True(resume.ExitCode == 2, resume.ToString());
            Assert.False(File.Exists(Path.Combine(dir.Path, "out", "report.json")), "the refused run wrote a report into the running one's folder");
        }
        finally
        {
            if (!first.HasExited)
            {
                Assert.Equal(0, Kill(first.Id, 2));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await first.WaitForExitAsync(timeout.Token);
            _ = await firstOut;
            _ = await firstErr;
        }

        Assert.Equal(130, first.ExitCode);
        Assert.False(File.Exists(Path.Combine(dir.Path, "out", "prepare.lock")), "the lock outlived its run");
        // Once the first run has ended, the lock is free again.
        var after = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=slow", "--output", "out", "--format", "json");
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /// <summary>prepare --sandbox=slow, Ctrl+C once <paramref name="line"/> is on stderr: exit 130, report.json cancelled, resume works.</summary>
    private static Task CancelPrepareAtAsync(string line, Action<string, ReportJson> afterSignal, Action<string>? afterResume = null) =>
        CancelPrepareAtAsync(line, 1, [], (dir, report, _) => afterSignal(dir, report), afterResume);

    /// <summary>prepare --sandbox=slow with <paramref name="options"/>, Ctrl+C at the <paramref name="occurrence"/>th line
    /// starting <paramref name="line"/>; <paramref name="afterSignal"/> also sees the interrupted run's output.</summary>
    private static async Task CancelPrepareAtAsync(string line, int occurrence, string[] options, Action<string, ReportJson, ProcessRun> afterSignal, Action<string>? afterResume = null)
    {
        using var dir = new TempDirectory();
        using var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, null, ["prepare", "--sandbox=slow", "--output", "out", "--format", "json", .. options]))!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var (seen, stderr) = WatchStandardError(process, line, occurrence);
        try
        {
            await seen.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        }
        finally
        {
            Assert.False(process.HasExited, "the run ended before it could be interrupted");
            Assert.Equal(0, Kill(process.Id, 2));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var run = new ProcessRun(process.ExitCode, await stdout, await stderr);

        Assert.True(run.ExitCode == 130, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal("cancelled", report.Outcome);
        Assert.DoesNotContain("\"verified\": \"verifyonly\"", File.ReadAllText(Path.Combine(dir.Path, "out", "report.json")), StringComparison.Ordinal);
        afterSignal(dir.Path, report, run);

        // As an always-run cleanup step runs it: a prepare cancelled before its runbook steps leaves no state file.
        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=slow", "--output", "out", "--format", "json", "--if-present");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        PrepareStateFile.AssertListsNothing(Path.Combine(dir.Path, "out"));
        afterResume?.Invoke(dir.Path);
    }

    private const string MonthEndClose = @"\Finance\Month-end close";

    private static List<(string Kind, string Target, string Outcome, string Detail)> Actions(ReportJson report) =>
        [.. report.Root.GetProperty("actions").EnumerateArray().Select(a => (
            a.GetProperty("kind").GetString()!, a.GetProperty("target").GetString()!, a.GetProperty("outcome").GetString()!, a.GetProperty("detail").GetString()!))];

    private static List<string> RunbookServices(FaultSandbox sandbox) =>
        [.. sandbox.Session.Environment.Hosts.SelectMany(h => sandbox.Session.Orchestrator.Services(h.Name)).Select(s => $"{s.Host}/{s.Name}: {s.Running}")];

    /// <summary>The Runbook Services of the simulated Orchestrator a --sandbox prepare/resume left behind (its world file beside the state).</summary>
    private static List<(string Host, bool Running)> WorldRunbookServices(string dir, string scenario)
    {
        var world = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", $"sandbox-world-{scenario}.json"))).RootElement;
        return [.. world.GetProperty("Services").EnumerateArray()
            .Where(s => s.GetProperty("Name").GetString() == "orunbook")
            .Select(s => (s.GetProperty("Host").GetString()!.ToUpperInvariant(), s.GetProperty("Running").GetBoolean()))
            .OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The jobs of the simulated Orchestrator a --sandbox prepare/resume left behind.</summary>
    private static List<(string Id, string Status)> WorldJobs(string dir, string scenario)
    {
        var world = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", $"sandbox-world-{scenario}.json"))).RootElement;
        return [.. world.GetProperty("Jobs").EnumerateArray().Select(j => (j.GetProperty("Id").GetString()!, j.GetProperty("Status").GetString()!))];
    }

    private static void AssertAllErrors(ReportJson report, string prefix, string detailContains)
    {
        var checks = report.Checks.Where(c => c.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal)
                                              && c.GetProperty("status").GetString() != "skipped").ToList();
        // The service master key backup is a file in the backup folder, not a SQL answer: it may stay met.
        checks.RemoveAll(c => c.GetProperty("id").GetString() == "backup.service-master-key");
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.Equal("error", c.GetProperty("status").GetString()));
        Assert.Contains(checks, c => c.GetProperty("detail").GetString()!.Contains(detailContains, StringComparison.OrdinalIgnoreCase));
    }

    private static void AssertNoGoodBackup(ReportJson report)
    {
        var backup = report.Root.TryGetProperty("backup", out var b) ? b : default;
        Assert.True(backup.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || backup.GetProperty("verified").GetString() == "none", backup.ToString());
        Assert.DoesNotContain(report.WithStatus("met"), c => c.Id is "backup.recent-full-verified" or "backup.verifyonly" or "backup.sha256");
    }

    /// <summary>The ready world (nothing running): the database path carries the runbooks checks, and sources-agree names the web fault.</summary>
    private static void AssertWebFaultSaidSo(ProcessRun run, string detailContains)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var agree = report.Check("runbooks.sources-agree", "sandbox");
        Assert.Equal("warning", agree.GetProperty("status").GetString());
        Assert.Contains("used the database alone", agree.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(detailContains, agree.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static void AssertWebFaultNeverMet(ProcessRun run)
    {
        Assert.True(run.ExitCode is 0 or 3, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.NotEqual("met", report.Check("runbooks.sources-agree", "sandbox").GetProperty("status").GetString());
    }

    /// <summary>The backup's age is measured on the SQL Server's own clock, so a jump between runner and server changes nothing.</summary>
    private static void AssertAgeMeasuredOnTheServer(ProcessRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var check = ReportJson.Parse(run.StandardOutput).Check("backup.recent-full-verified", "sandbox");
        Assert.Equal("met", check.GetProperty("status").GetString());
        Assert.Contains("finished 2h ago", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>All of stderr, and a task that completes at the <paramref name="occurrence"/>th line starting <paramref name="prefix"/>.</summary>
    internal static (Task Seen, Task<string> All) WatchStandardError(Process process, string prefix, int occurrence = 1)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = Task.Run(async () =>
        {
            var lines = new List<string>();
            var matches = 0;
            while (await process.StandardError.ReadLineAsync(Ct) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal) && ++matches == occurrence)
                {
                    seen.TrySetResult();
                }
            }

            seen.TrySetException(new InvalidOperationException($"stderr ended with {matches} of {occurrence} line(s) starting '{prefix}':\n{string.Join('\n', lines)}"));
            return string.Join('\n', lines);
        }, Ct);
        return (seen.Task, all);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
