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

public sealed class LogChainInterplayCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CheckContext Context(ISqlConnector? sql, SqlConfig? config = null) => new()
    {
        Environment = new EnvironmentConfig { Name = "prod", Target = TargetVersion.V2022, Sql = sql is null ? null : config ?? new SqlConfig { Server = "sql01" } },
        Target = TargetVersion.V2022,
        Time = TimeProvider.System,
        Sql = sql,
    };

    private static async Task<CheckOutcome> Run(ISqlConnector? sql, SqlConfig? config = null) => await new LogChainInterplayCheck().RunAsync(Context(sql, config), Ct);

    private static FakeSqlConnector Server(bool sysadmin = true, params SqlRow[] inMaster) => new FakeSqlConnector()
        .Answer("VIEW ANY DEFINITION", Row(("is_sysadmin", sysadmin), ("view_any_definition", false)))
        .Answer("FROM [master].sys.objects", inMaster)
        .Answer("FROM [msdb].sys.objects");

    [Fact]
    public async Task Without_olas_objects_in_master_and_msdb_it_is_met_saying_where_it_looked()
    {
        var outcome = await Run(Server());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Equal(2, outcome.Evidence.Count);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("msdb.sys.objects", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Olas_database_backup_present_is_a_warning_naming_issue_814_and_the_object()
    {
        var outcome = await Run(Server(inMaster: Row(("name", "DatabaseBackup"), ("type_desc", "SQL_STORED_PROCEDURE"), ("modify_date", new DateTime(2022, 12, 3)))));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("COPY_ONLY", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("type D", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("#814", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("master.sys.objects", StringComparison.Ordinal) && e.Value == "DatabaseBackup (SQL_STORED_PROCEDURE), modified 2022-12-03");
    }

    [Fact]
    public async Task A_login_that_cannot_see_every_object_or_cannot_use_msdb_is_unknown_never_met()
    {
        var hidden = await Run(Server(sysadmin: false));
        Assert.Equal(CheckStatus.Warning, hidden.Status);
        Assert.Contains("VIEW ANY DEFINITION", hidden.Detail, StringComparison.Ordinal);

        var sql = new FakeSqlConnector()
            .AnswerFails("FROM [msdb].sys.objects", new SqlMessage(916, 14, 1, "The server principal \"x\" is not able to access the database \"msdb\" under the current security context."))
            .Then(Server());
        var denied = await Run(sql);
        Assert.Equal(CheckStatus.Warning, denied.Status);
        Assert.Contains("msdb.sys.objects could not be read", denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sql_it_is_skipped_and_it_only_reads()
    {
        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
        var sql = Server();
        await Run(sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Against_the_sandbox_server_olas_objects_in_master_are_found()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile
        {
            DelayPerChunk = TimeSpan.Zero,
            Objects = [new SandboxObject("master", "DatabaseBackup", "P"), new SandboxObject("master", "CommandLog", "U")],
        });
        var outcome = await Run(sql.Connector(), sql.Config());

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("DatabaseBackup (SQL_STORED_PROCEDURE)", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("CommandLog (USER_TABLE)", StringComparison.Ordinal));

        await using var clean = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { DelayPerChunk = TimeSpan.Zero });
        Assert.Equal(CheckStatus.Met, (await Run(clean.Connector(), clean.Config())).Status);
    }
}
