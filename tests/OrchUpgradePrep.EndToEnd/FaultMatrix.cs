using System.Reflection;
using System.Text;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>One row of the fault matrix: the fault, how it is injected, what must come out, and the test that proves it.</summary>
internal sealed record FaultRow(string Id, string Fault, string Injection, string Expected, string Asserted, string Test);

/// <summary>The fault matrix of docs/reliability.md. Every row names an executed test (Class.Method) in this assembly.</summary>
internal static class FaultMatrix
{
    private const string Cli = "CLI process vs sandbox";
    private const string Cfg = "CLI process (--config) vs in-test sandbox";

    public static IReadOnlyList<FaultRow> Rows { get; } =
    [
        new("SQL-01", "SQL Server connection refused", $"{Cfg}: sql server points at a closed 127.0.0.1 port", "error, exit 3", "every SQL-backed backup.* check is error with the connect failure; none met", "FaultMatrixTests.Sql_connection_refused_makes_the_backup_checks_errors_exit_3"),
        new("SQL-02", "SQL login failure", $"{Cfg}: wrong ORCHPREP_SANDBOX_PASSWORD", "error, exit 3", "backup.* errors name \"Login failed\"; the wrong password is never printed", "FaultMatrixTests.Sql_login_failure_is_an_error_naming_the_login_exit_3"),
        new("SQL-03", "TLS mismatch (untrusted certificate)", $"{Cfg}: encrypt: mandatory, trustServerCertificate: false vs the self-signed TDS certificate", "error, exit 3", "backup.* errors name the failed pre-login (TLS) handshake; none met", "FaultMatrixTests.Sql_tls_certificate_not_trusted_is_an_error_exit_3"),
        new("SQL-04", "Connection reset mid-batch", $"{Cfg}: SandboxSqlFault.DropConnectionOnHistoryQuery closes the socket on the msdb history query", "error, exit 3", "backup.recent-full-verified is error (transport-level), never met", "FaultMatrixTests.Sql_connection_reset_mid_batch_is_an_error_never_met_exit_3"),
        new("SQL-05", "Statement timeout", $"{Cfg}: 4 s SQL latency, --check-timeout 1s", "error, exit 3", "backup.recent-full-verified is error, outcome error", "FaultMatrixTests.Sql_statement_slower_than_the_check_timeout_is_an_error_naming_the_timeout_exit_3"),
        new("SQL-06", "Connection dropped mid-backup", $"{Cli}: scenario connection-drop (socket closed at 40 %)", "unmet, exit 1", "backup.taken unmet (transport-level); backup verified none; partial file removed", "PrepareCommandTests.FaultScenarios_AreNeverReportedAsAGoodBackup"),
        new("SQL-07", "Disk full while the backup is written", $"{Cfg}: SandboxSqlFault.DiskFullMidBackup (3202 / 112 at 50 %)", "unmet, exit 1", "backup.taken unmet (not enough space); no good backup; no *_orchprep.bak left on the volume", "FaultMatrixTests.Disk_full_while_the_backup_is_written_is_unmet_and_the_partial_file_is_removed"),
        new("SQL-08", "Not enough free space before the backup", $"{Cli}: scenario low-disk", "unmet, exit 1", "backup.free-space unmet before anything is written; no good backup", "PrepareCommandTests.FaultScenarios_AreNeverReportedAsAGoodBackup"),
        new("SQL-09", "Backup file altered between backup and verify", $"{Cli}: scenario corrupt-backup (bytes overwritten after BACKUP)", "unmet, exit 1", "backup.verifyonly unmet (3183); backup never reported good", "PrepareCommandTests.FaultScenarios_AreNeverReportedAsAGoodBackup"),
        new("SQL-10", "Backup file removed between backup and verify", $"{Cfg}: SandboxSqlFault.DeleteBackupAfterWrite", "unmet, exit 1", "backup.verifyonly unmet (cannot find the file); verified none", "FaultMatrixTests.Backup_file_removed_between_backup_and_verify_is_never_reported_good"),
        new("SQL-11", "msdb history missing", $"{Cfg}: SandboxSqlFault.NoMsdbHistory (BACKUP writes no backupset row)", "unmet, exit 1", "backup.msdb-history unmet; backup.recent-full-verified not met", "FaultMatrixTests.Msdb_history_missing_after_the_backup_is_unmet_and_the_backup_not_reported_recent"),
        new("SQL-12", "Login may not back up", $"{Cli}: scenario no-permission", "unmet, exit 1", "backup.permissions unmet naming BACKUP DATABASE; nothing written", "PrepareCommandTests.FaultScenarios_AreNeverReportedAsAGoodBackup"),
        new("SQL-13", "prepare killed (kill -9) mid-backup", $"{Cfg}: 15 ms per 64 KiB written, SIGKILL at \"backup 20%\"; then prepare with keep 2, keep 1, keep 1 + removeUnverified", "met, exit 0 (later runs)", "the fragment has no manifest and is reported as an unverified leftover, never counted; every verified set kept until it is removed; removeUnverified deletes it and keep 1 keeps the newest verified set", "FaultMatrixTests.Prepare_killed_mid_backup_leaves_a_fragment_that_later_runs_report_and_never_count"),
        new("WEB-01", "Web service connection refused", $"{Cli}: scenario web-down", "met, exit 0", "runbooks.sources-agree warning \"used the database alone\"; jobs stopped through the database", "RunbooksCommandTests.Web_down_passes_through_the_database_path_and_says_so"),
        new("WEB-02", "Web service 500 / 503 on every request", $"{Cfg}: SandboxWebServiceFaults FailEvery 1, FailStatus 500 and 503 (theory)", "met with warning, exit 0", "runbooks.sources-agree warning naming the status and the database fallback", "FaultMatrixTests.Web_service_failing_every_request_falls_back_to_the_database_and_says_so"),
        new("WEB-03", "Web service timeout (never answers)", $"{Cfg}: 5 min latency, --check-timeout 4s", "exit 0 or 3", "runbooks.sources-agree not met", "FaultMatrixTests.Web_service_that_never_answers_times_out_and_the_database_path_says_so"),
        new("WEB-04", "Web service slow-loris body", $"{Cfg}: TrickleDelay 500 ms per byte, --check-timeout 4s", "exit 0 or 3", "runbooks.sources-agree not met", "FaultMatrixTests.Web_service_slow_loris_body_is_cut_off_by_the_timeout_never_met"),
        new("WEB-05", "Web service malformed XML", $"{Cfg}: MalformedFeeds (Atom cut in half), healthy world with running jobs", "unmet, exit 1", "runbooks.none-running still unmet (jobs not lost); sources-agree not met", "FaultMatrixTests.Web_service_malformed_xml_is_not_read_as_an_empty_job_list"),
        new("WEB-06", "Paging that never ends", $"{Cfg}: EndlessPaging (first page forever, m:count 1e6)", "exit 1 or 3", "client stops (MaxPages); sources-agree and none-running not met; bounded request count", "FaultMatrixTests.Web_service_paging_that_never_ends_is_stopped_and_never_met"),
        new("WEB-07", "Flaky web service (503 every 3rd, reset every 7th)", $"{Cli}: scenario flaky-web", "met, exit 0", "retries carry prepare through; sources-agree met; backup verifyonly", "FaultMatrixTests.Web_service_flaky_503_and_resets_are_retried_and_prepare_passes"),
        new("RUN-01", "Runbook still running at the drain timeout", $"{Cli}: scenario busy, --drain wait --drain-timeout 2s", "unmet, exit 1", "runbooks.drained unmet naming the job; no service stopped; backup skipped", "RunbooksCommandTests.Busy_with_drain_wait_ends_unmet_naming_the_job_and_touches_no_service_or_backup"),
        new("RUN-02", "Damaged prepare-state.json", $"{Cli}: truncated state file", "exit 1 or 3", "nothing stopped; resume exit 3; the file is kept as it was", "RunbooksCommandTests.A_damaged_state_file_stops_prepare_before_it_changes_anything_and_is_kept"),
        new("RUN-03", "A job started again once after its stop (schedule)", $"{Cli}: scenario restarted-job, --drain stop --drain-timeout 2s", "met, exit 0", "runbooks.drained met with both month-end close jobs stopped as its evidence; none-running and starts-blocked met; backup verifyonly", "FaultMatrixTests.Job_started_again_once_after_its_stop_is_stopped_too_and_the_drain_ends_drained"),
        new("RUN-04", "A job started again after every stop", $"{Cfg}: busy + SandboxFaults.JobRestarts (Month-end close, every time), --drain stop --drain-timeout 2s", "unmet, exit 1", "runbooks.drained unmet \"stayed active after a stop request\" naming the running job; starts-blocked skipped; no service changed; no BACKUP sent; the stopped monitor kept for resume (exit 0)", "FaultMatrixTests.Job_started_again_after_every_stop_ends_the_drain_unmet_and_no_service_or_backup_is_touched"),
        new("RUN-05", "Service does not stop (StopPending, the 2022 known issue)", $"{Cli}: scenario service-stop-hangs (orch-rb02's Runbook Service stays StopPending, process 2220, stopTimeout 3s), prepare; then resume", "unmet, exit 1; resume exit 1", "starts-blocked unmet; the action failed names StopPending, PID 2220, the wait and `taskkill /f /pid 2220` on orch-rb02; no process ended; the service stays in the state; resume says it is still stopping with the PID and keeps it", "ForceStopCommandTests.Without_force_stop_prepare_is_unmet_naming_the_pid_and_workaround_ends_nothing_and_resume_keeps_the_service_for_later"),
        new("RUN-06", "Service does not stop, prepare --force-stop", $"{Cli}: scenario service-stop-hangs, prepare --force-stop; then resume", "met, exit 0", "the action force-stopped names process 2220 ended; every Runbook Service stopped; resume exit 0 starts them all and the state lists nothing", "ForceStopCommandTests.With_force_stop_prepare_ends_that_process_passes_and_resume_starts_every_service"),
        new("HOST-01", "Host unreachable (WinRM refused, not in DNS)", $"{Cli}: scenario host-unreachable", "error, exit 3", "every check of those hosts is error with the reason; reachable hosts still checked; none unmet", "HostsCommandTests.Unreachable_hosts_are_errors_with_the_reason_and_the_run_exits_3"),
        new("HOST-02", "Host snapshot gone (offline host cannot be read)", $"{Cfg}: orch-rb02's snapshot folder deleted", "error, exit 3", "every orch-rb02 check is error; orch-ms01 still met", "FaultMatrixTests.Host_whose_snapshot_is_gone_is_an_error_and_the_other_hosts_are_still_checked"),
        new("HOST-03", "Registry value of the wrong type", $"{Cfg}: CurrentRebootAttempts REG_SZ \"1\" instead of REG_DWORD in orch-ms01's registry.reg", "exit 1 or 3", "restart.server-manager-reboot-attempts not met, names REG_SZ", "FaultMatrixTests.Registry_value_of_the_wrong_type_is_not_read_as_absent"),
        new("HOST-04", "Host answers but refuses the account (access denied)", $"{Cli}: scenario access-denied (every CIM query and registry read of orch-rb02 denied)", "error, exit 3", "every orch-rb02 check is error naming \"access denied\"; the other hosts still checked (met, no error); none unmet", "FaultMatrixTests.Host_that_refuses_the_account_is_an_error_naming_access_denied_and_the_other_hosts_are_still_checked"),
        new("HOST-05", "Runbook Service stop refused (access denied)", $"{Cli}: scenario access-denied, prepare (orch-rb02's service control denied)", "unmet, exit 1", "starts-blocked unmet naming orch-rb02; its action failed with \"Access is denied\"; only orch-ms01/rb03 stopped and in the state; rb02 still running; backup skipped (starts not blocked), none reported; resume exit 0 starts both", "FaultMatrixTests.Access_denied_on_a_runbook_service_stop_fails_block_starts_and_reports_nothing_blocked_there"),
        new("CLK-01", "SQL Server clock a day ahead of the runner", $"{Cfg}: sandbox TimeProvider shifted +1 day", "met, exit 0", "backup age measured on the server's clock: still \"finished 2h ago\"", "FaultMatrixTests.Sql_server_clock_a_day_ahead_of_the_runner_leaves_the_backup_age_unchanged"),
        new("CLK-02", "SQL Server clock three days behind the runner", $"{Cfg}: sandbox TimeProvider shifted -3 days", "met, exit 0", "backup age still \"finished 2h ago\"", "FaultMatrixTests.Sql_server_clock_three_days_behind_the_runner_leaves_the_backup_age_unchanged"),
        new("CAN-01", "Ctrl+C during the checks", $"{Cli}: scenario slow, SIGINT after the run announces itself", "cancelled, exit 130", "report.json outcome cancelled and junit.xml written", "CancellationTests.Interrupting_a_slow_run_exits_130_and_writes_the_partial_report"),
        new("CAN-02", "Ctrl+C during the drain", $"{Cli}: scenario busy, SIGINT at \"drain: waiting for\"", "cancelled, exit 130", "state lists the stopped monitor; resume exit 0 starts it", "CancellationTests.Interrupting_prepare_while_it_drains_keeps_the_stopped_monitor_in_the_state_for_resume"),
        new("CAN-03", "Ctrl+C mid-backup", $"{Cli}: scenario slow, SIGINT at \"backup 20%\"", "cancelled, exit 130", "report cancelled; verified none; BACKUP stopped and its partial file removed; resume exit 0 clears the state", "FaultMatrixTests.Ctrl_C_mid_backup_exits_130_removes_the_partial_file_and_reports_no_backup"),
        new("CAN-04", "Ctrl+C mid-verify", $"{Cli}: scenario slow, SIGINT at \"verify: RESTORE VERIFYONLY\"", "cancelled, exit 130", "report cancelled; verified none; backup.verifyonly not met; resume exit 0 clears the state", "FaultMatrixTests.Ctrl_C_mid_verify_exits_130_and_the_unverified_backup_is_not_reported_good"),
        new("CAN-05", "Ctrl+C during block starts", $"{Cli}: scenario slow (2 s per service stop), SIGINT at \"block-starts: stopping\"", "cancelled, exit 130", "drained met; starts-blocked error (cancelled); each Runbook Service stopped is in the report and the state; backup skipped; resume exit 0 starts them all", "FaultMatrixTests.Ctrl_C_while_block_starts_stops_the_runbook_services_keeps_each_stopped_one_for_resume"),
        new("CAN-06", "Ctrl+C while prepare closes programs", $"{Cli}: scenario slow (Runbook Designer and Runbook Tester open on orch-ms01, 2 s to close each), prepare --close-programs, SIGINT at the second \"close-programs: closing\"", "cancelled, exit 130", "the Designer closed before the signal is a closed action; the Tester being closed is cancelled, not closed; no drain, block or Runbook Service stopped (world), no state file; backup skipped, none reported; report.json and junit.xml written; resume --if-present exit 0 with nothing to undo", "FaultMatrixTests.Ctrl_C_while_prepare_closes_programs_names_each_closed_one_and_starts_no_runbook_step_or_backup"),
        new("LOCK-01", "Two prepare runs at once on one environment", $"{Cli}: second prepare and a resume while the first backs up", "second: exit 2", "message names the environment, pid and host; no stdout, no report written; the lock is gone after the first ends", "FaultMatrixTests.Two_prepare_runs_at_once_the_second_is_refused_with_exit_2_naming_the_first"),
        new("OUT-01", "Output folder on a read-only mount (a container's :ro volume)", "CLI process in a private mount namespace: --output bind-mounted read-only", "exit 2 before anything changes", "message names the folder and \"Read-only file system\", no stack trace; the drain never starts; nothing written", "UnwritableOutputCommandTests.Prepare_into_a_read_only_mount_exits_2_naming_the_folder_before_it_changes_anything"),
        new("OUT-02", "Disk full while the report is written, after prepare acted", "CLI process in a private mount namespace: --output on a 48 KiB tmpfs (state fits, report.json does not)", "exit 3 (the verdict was met)", "stderr carries the verdict, every action and the backup path with its SHA-256; report written to ./.orchprep/<env>/undelivered-*; no stack trace", "UnwritableOutputCommandTests.Prepare_onto_a_disk_that_fills_up_prints_the_verdict_and_backup_and_writes_the_report_to_the_fallback"),
        new("SBX-01", "Sandbox run killed with SIGKILL", $"{Cli}: scenario slow, SIGKILL once the checks run", "next run: exit 0", "the killed run's temp folder is left; the next sandbox run removes it and its own", "UnwritableOutputCommandTests.A_sandbox_run_killed_with_SIGKILL_leaves_a_temp_folder_that_the_next_sandbox_run_removes"),
    ];

    public static string RenderMarkdown()
    {
        var md = new StringBuilder();
        md.Append("| id | fault | how injected | expected | asserted about the report | test |\n");
        md.Append("|---|---|---|---|---|---|\n");
        foreach (var row in Rows)
        {
            md.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {row.Id} | {row.Fault} | {row.Injection} | {row.Expected} | {row.Asserted} | `{row.Test}` |\n");
        }

        return md.ToString();
    }

    /// <summary>The named test method (a [Fact] or [Theory]) in this assembly, or null.</summary>
    public static MethodInfo? Resolve(string test)
    {
        var dot = test.IndexOf('.', StringComparison.Ordinal);
        var type = typeof(FaultMatrix).Assembly.GetType($"{typeof(FaultMatrix).Namespace}.{test[..dot]}");
        var method = type?.GetMethod(test[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance);
        return method?.GetCustomAttribute<FactAttribute>() is null ? null : method;
    }
}
