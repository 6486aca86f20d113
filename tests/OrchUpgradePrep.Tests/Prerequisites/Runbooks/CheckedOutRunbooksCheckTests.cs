using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

public sealed class CheckedOutRunbooksCheckTests
{
    private static readonly Guid Finance = new("7a000001-0000-4000-8000-000000000001");
    private static readonly Guid MonthEnd = new("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a04");

    private static SqlRow Column(string table, string column) => FakeSqlConnector.Row(("TABLE_NAME", table), ("COLUMN_NAME", column));

    /// <summary>A server whose INFORMATION_SCHEMA shows POLICIES with <paramref name="policyColumns"/> and a FOLDERS table.</summary>
    private static FakeSqlConnector Server(string[] policyColumns, bool folders = true) =>
        new FakeSqlConnector().Answer(
            "INFORMATION_SCHEMA.COLUMNS",
            [.. policyColumns.Select(c => Column("POLICIES", c)), .. (folders ? new[] { "UniqueID", "ParentID", "Name" }.Select(c => Column("FOLDERS", c)) : [])]);

    private static readonly string[] AllColumns = ["UniqueID", "ParentID", "Name", "CheckOutUser", "CheckOutTime"];

    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql) =>
        await new CheckedOutRunbooksCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2025, Sql = sql is null ? null : new SqlConfig { Server = "sql01" } },
                Target = TargetVersion.V2025,
                Time = TimeProvider.System,
                Sql = sql,
            },
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_checked_out_runbook_is_unmet_naming_path_user_and_time()
    {
        var sql = Server(AllColumns)
            .Answer("WHERE CheckOutUser IS NOT NULL", FakeSqlConnector.Row(("UniqueID", MonthEnd), ("ParentID", Finance), ("Name", "Month-end close"), ("CheckOutUser", @"CONTOSO\jdoe"), ("CheckOutTime", new DateTime(2026, 11, 20, 16, 42, 0))))
            .Answer("FROM dbo.POLICIES", FakeSqlConnector.Row(("UniqueID", MonthEnd), ("ParentID", Finance), ("Name", "Month-end close")))
            .Answer("FROM dbo.FOLDERS", FakeSqlConnector.Row(("UniqueID", Finance), ("ParentID", null), ("Name", "Finance")));

        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("1 runbook(s) checked out", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value == @"\Finance\Month-end close: checked out by CONTOSO\jdoe at 2026-11-20 16:42 UTC");
        Assert.Contains("check in", outcome.Remediation, StringComparison.Ordinal);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_folders_table_the_runbook_is_named_bare_and_the_evidence_says_why()
    {
        var sql = Server(AllColumns, folders: false)
            .Answer("WHERE CheckOutUser IS NOT NULL", FakeSqlConnector.Row(("UniqueID", MonthEnd), ("ParentID", Finance), ("Name", "Month-end close"), ("CheckOutUser", "S-1-5-21-1"), ("CheckOutTime", null)))
            .Answer("FROM dbo.POLICIES", FakeSqlConnector.Row(("UniqueID", MonthEnd), ("ParentID", Finance), ("Name", "Month-end close")));

        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value == @"\Month-end close: checked out by S-1-5-21-1 at (no time)");
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("dbo.FOLDERS: not found", StringComparison.Ordinal));
        Assert.DoesNotContain(sql.Received, q => q.Contains("FROM dbo.FOLDERS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_check_out_is_met()
    {
        var sql = Server(AllColumns).Answer("WHERE CheckOutUser IS NOT NULL");

        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("UNCONFIRMED", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_check_out_columns_are_an_error_naming_them_never_met()
    {
        var sql = Server(["UniqueID", "ParentID", "Name"]);

        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("dbo.POLICIES.CheckOutUser, dbo.POLICIES.CheckOutTime not found", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value == "dbo.POLICIES (Name, ParentID, UniqueID)");
        Assert.DoesNotContain(sql.Received, q => q.Contains("CheckOutUser IS NOT NULL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policies_table_the_login_cannot_see_is_an_error()
    {
        var outcome = await Run(new FakeSqlConnector().Answer("INFORMATION_SCHEMA.COLUMNS"));

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("dbo.POLICIES not found", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("missing, or the login has no permission on it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_select_is_an_error_naming_the_permission()
    {
        var sql = new FakeSqlConnector();
        sql.Answer("INFORMATION_SCHEMA.COLUMNS", [.. AllColumns.Select(c => Column("POLICIES", c))]);
        // The check-out query is not scripted: the fake refuses it as the server would refuse a missing grant.
        var denied = new DeniedSql(sql, new SqlMessage(229, 14, 5, "The SELECT permission was denied on the object 'POLICIES', database 'Orchestrator', schema 'dbo'."));

        var outcome = await new CheckedOutRunbooksCheck().RunAsync(
            new CheckContext { Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2025 }, Target = TargetVersion.V2025, Time = TimeProvider.System, Sql = denied },
            TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("SELECT permission was denied", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value == "permission denied (Msg 229)");
    }

    [Fact]
    public async Task Without_sql_it_is_skipped_as_not_configured()
    {
        var outcome = await Run(null);
        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.StartsWith("not configured", outcome.Detail, StringComparison.Ordinal);
    }

    /// <summary>Answers the columns query from <paramref name="inner"/> and refuses everything else with <paramref name="message"/>.</summary>
    private sealed class DeniedSql(FakeSqlConnector inner, SqlMessage message) : ISqlConnector
    {
        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken) => new Session(await inner.OpenAsync(cancellationToken), message);

        private sealed class Session(ISqlSession inner, SqlMessage message) : ISqlSession
        {
            public Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
                sql.Contains("INFORMATION_SCHEMA", StringComparison.Ordinal)
                    ? inner.QueryAsync(sql, parameters, cancellationToken)
                    : Task.FromException<IReadOnlyList<SqlRow>>(new SqlSessionException(message.Text, [message]));

            public Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken) =>
                inner.ExecuteAsync(sql, timeout, onMessage, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
