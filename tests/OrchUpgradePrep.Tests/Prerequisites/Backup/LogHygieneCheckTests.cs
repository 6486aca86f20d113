using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeSqlConnector;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class LogHygieneCheckTests
{
    private const long MiB = 1L << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CheckContext Context(ISqlConnector? sql, SqlConfig? config = null) => new()
    {
        Environment = new EnvironmentConfig { Name = "prod", Target = TargetVersion.V2022, Sql = sql is null ? null : config ?? new SqlConfig { Server = "sql01" } },
        Target = TargetVersion.V2022,
        Time = TimeProvider.System,
        Sql = sql,
    };

    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql) => await new LogHygieneCheck().RunAsync(Context(sql), Ct);

    private static readonly DateTime LongAgo = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);

    /// <summary>100 MiB of used data; events and audit history of the given sizes; the busiest runbook keeps <paramref name="busiest"/> completed instances.</summary>
    private static FakeSqlConnector Server(long eventsMiB, long auditMiB, long busiest = 480) => new FakeSqlConnector()
        .Answer("GROUP BY pi.PolicyID", Row(("RunbookName", "Monitor AD"), ("entries", busiest), ("oldest_ended", LongAgo)))
        .Answer("FROM sys.database_files",
            Row(("name", "Orchestrator"), ("type_desc", "ROWS"), ("size_bytes", 200 * MiB), ("used_bytes", 100 * MiB)),
            Row(("name", "Orchestrator_log"), ("type_desc", "LOG"), ("size_bytes", 50 * MiB), ("used_bytes", 40 * MiB)))
        .Answer("FROM sys.dm_db_partition_stats",
            Row(("table_name", "POLICYINSTANCES"), ("row_count", 1200L), ("reserved_bytes", 2 * MiB)),
            Row(("table_name", "OBJECTINSTANCES"), ("row_count", 9000L), ("reserved_bytes", 5 * MiB)),
            Row(("table_name", "OBJECTINSTANCEDATA"), ("row_count", 30000L), ("reserved_bytes", 10 * MiB)),
            Row(("table_name", "EVENTS"), ("row_count", 123456L), ("reserved_bytes", eventsMiB * MiB)),
            Row(("table_name", "OBJECT_AUDIT"), ("row_count", 654321L), ("reserved_bytes", auditMiB * MiB)));

    [Fact]
    public async Task Small_events_and_audit_history_are_met_with_every_table_and_the_unread_purge_as_evidence()
    {
        var outcome = await Run(Server(eventsMiB: 10, auditMiB: 5));

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("15%", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("dbo.OBJECT_AUDIT", StringComparison.Ordinal) && e.Value.StartsWith("654,321 rows, 5 MiB reserved (5% of the used data)", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Source == "log purge" && e.Value.Contains("UNCONFIRMED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_and_audit_history_holding_half_the_data_are_a_warning_saying_they_are_never_purged()
    {
        var outcome = await Run(Server(eventsMiB: 30, auditMiB: 20));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("50 MiB, 50% of the used data", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("never purged", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_view_database_state_the_sizes_are_unknown_a_warning_naming_the_permission()
    {
        var sql = new FakeSqlConnector()
            .AnswerFails("FROM sys.dm_db_partition_stats",
                new SqlMessage(300, 14, 1, "VIEW DATABASE STATE permission was denied on object 'Orchestrator', database 'Orchestrator'."),
                new SqlMessage(297, 16, 1, "The user does not have permission to perform this action."))
            .Then(Server(1, 1));
        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("VIEW DATABASE STATE permission was denied", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("VIEW DATABASE STATE", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_log_table_at_all_is_a_warning_not_met_and_without_sql_it_is_skipped()
    {
        var sql = new FakeSqlConnector()
            .Answer("FROM sys.database_files", Row(("name", "x"), ("type_desc", "ROWS"), ("size_bytes", MiB), ("used_bytes", MiB)))
            .Answer("FROM sys.dm_db_partition_stats");
        var outcome = await Run(sql);
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("dbo.EVENTS", StringComparison.Ordinal) && e.Value == "not found");
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));

        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
    }

    [Fact]
    public async Task Against_the_sandbox_server_the_query_binds_and_reports_its_tables()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile
        {
            DelayPerChunk = TimeSpan.Zero,
            LogTables = [new("EVENTS", 100_000, 16L << 20), new("OBJECT_AUDIT", 50_000, 4L << 20), new("POLICYINSTANCES", 10, 1L << 20)],
        }, orchestrator: new OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestrator(TestWorlds.Profile(), TimeProvider.System));
        var outcome = await new LogHygieneCheck().RunAsync(Context(sql.Connector(), sql.Config()), Ct);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("dbo.EVENTS", StringComparison.Ordinal) && e.Value.StartsWith("100,000 rows, 16 MiB", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("dbo.OBJECTINSTANCES", StringComparison.Ordinal) && e.Value == "not found");
    }

    [Fact]
    public async Task A_runbook_keeping_far_more_instances_than_the_purge_default_is_a_warning_naming_it_as_an_inference()
    {
        var outcome = await Run(Server(eventsMiB: 10, auditMiB: 5, busiest: 48_211));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("'Monitor AD' has 48,211 completed instances logged, the oldest ended 2020-01-02", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("inference", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Log Purge", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_the_purge_default_the_busiest_runbook_is_evidence_only_and_above_it_joins_the_dominance_warning()
    {
        var met = await Run(Server(eventsMiB: 10, auditMiB: 5, busiest: LogHygieneCheck.PurgeDefaultEntriesPerRunbook));
        Assert.Equal(CheckStatus.Met, met.Status);
        Assert.Contains(met.Evidence, e => e.Source.EndsWith("(completed, busiest runbook)", StringComparison.Ordinal) && e.Value.StartsWith("'Monitor AD' has 5,000", StringComparison.Ordinal));

        var both = await Run(Server(eventsMiB: 30, auditMiB: 20, busiest: 9_000));
        Assert.Equal(CheckStatus.Warning, both.Status);
        Assert.Contains("never purged", both.Detail, StringComparison.Ordinal);
        Assert.Contains("also seems not to run: 'Monitor AD' has 9,000", both.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(208, "Invalid object name 'dbo.POLICYINSTANCES'.")]
    [InlineData(207, "Invalid column name 'TimeEnded'.")]
    [InlineData(229, "The SELECT permission was denied on the object 'POLICYINSTANCES', database 'Orchestrator', schema 'dbo'.")]
    public async Task A_runbook_log_the_login_or_schema_refuses_is_named_not_read_and_never_taken_for_a_running_purge(int number, string text)
    {
        var sql = new FakeSqlConnector().AnswerFails("GROUP BY pi.PolicyID", new SqlMessage(number, 16, 1, text)).Then(Server(eventsMiB: 10, auditMiB: 5));
        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("(completed, busiest runbook)", StringComparison.Ordinal) && e.Value.StartsWith("not read (", StringComparison.Ordinal) && e.Value.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Against_the_sandbox_server_the_busiest_runbook_query_binds_and_without_select_on_policies_it_is_not_read()
    {
        var orchestrator = new OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestrator(TestWorlds.Profile(), TimeProvider.System);
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile
        {
            DelayPerChunk = TimeSpan.Zero,
            RunbookLogs = [new("Monitor AD changes", 48_211, TimeSpan.FromDays(900)), new("Nightly cleanup", 480, TimeSpan.FromDays(21))],
        }, orchestrator: orchestrator);
        var outcome = await new LogHygieneCheck().RunAsync(Context(sql.Connector(), sql.Config()), Ct);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("'Monitor AD changes' has 48,211 completed instances logged", outcome.Detail, StringComparison.Ordinal);
        // SQL Server's datetime keeps 1/300 s: the stored time may round a few milliseconds later, so 899 days and 23:59:59.99x.
        Assert.Matches(@"\((899|900) days ago\)", outcome.Detail);
    }
}
