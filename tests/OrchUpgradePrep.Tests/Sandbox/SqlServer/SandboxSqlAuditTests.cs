using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The write classifier that lets tests prove check mode wrote nothing: every statement orchprep sends is
/// classified, reads as reads and writes as writes.</summary>
public sealed class SandboxSqlAuditTests
{
    private static readonly TdsSessionInfo Session = new(1, "orchprep", "Orchestrator", "test", "host");

    private static SqlRequest Batch(string text) => Request(SqlRequestKind.Batch, text);

    private static SqlRequest Request(SqlRequestKind kind, string text) =>
        new(kind, text, new Dictionary<string, object?>(), Session, kind == SqlRequestKind.Batch ? null : "sp_executesql", DateTimeOffset.UnixEpoch);

    public static TheoryData<string> Reads =>
    [
        SqlServerFacts.Query,
        BackupQueries.Database,
        BackupQueries.DatabaseFiles,
        BackupQueries.Volumes,
        BackupQueries.Permissions,
        BackupQueries.ServerName,
        BackupQueries.HistoryOfBackupSet,
        RecentFullVerifiedBackupCheck.HistoryQuery,
        BackupQueries.VerifyOnly(["/b/x.bak"], 10),
        BackupQueries.HeaderOnly(["/b/x.bak", "/b/y.bak"]),
        BackupQueries.FileListOnly(["/b/x.bak"]),
        "select @@version",
        "  restore   verifyonly from disk = N'/b/x.bak'",
    ];

    public static TheoryData<string> Writes =>
    [
        new BackupStatement { Database = "Orchestrator", Files = ["/b/x.bak"], Name = "n", Description = "d" }.ToSql(),
        BackupQueries.RestoreAs("Copy", ["/b/x.bak"], [("Orchestrator", "/d/c.mdf")], 10),
        BackupQueries.CheckDb("Copy"),
        BackupQueries.DropDatabase("Copy"),
        BackupQueries.BackupServiceMasterKey("/b/k.smk", "Key-Passw0rd"),
        "BACKUP MASTER KEY TO FILE = N'/b/k.dmk' ENCRYPTION BY PASSWORD = N'Key-Passw0rd'",
        "CREATE TABLE t (i int)",
        "alter database Orchestrator set single_user",
        "SELECT 1; DELETE FROM dbo.Jobs",
        "UPDATE dbo.Jobs SET x = 1",
        "INSERT INTO dbo.Jobs VALUES (1)",
        "EXEC sp_configure 'x', 1",
        "truncate table dbo.Events",
    ];

    [Theory]
    [MemberData(nameof(Reads))]
    public void Reads_are_not_writes(string text) => Assert.False(SandboxSqlAudit.IsWrite(Batch(text)), text);

    [Theory]
    [MemberData(nameof(Writes))]
    public void Writes_are_writes(string text) => Assert.True(SandboxSqlAudit.IsWrite(Batch(text)), text);

    [Fact]
    public void A_parameterised_select_reads_and_any_other_procedure_call_writes()
    {
        Assert.False(SandboxSqlAudit.IsWrite(Request(SqlRequestKind.ExecuteSql, RecentFullVerifiedBackupCheck.HistoryQuery)));
        Assert.True(SandboxSqlAudit.IsWrite(Request(SqlRequestKind.ExecuteSql, "DELETE FROM dbo.Jobs WHERE id = @id")));
        Assert.True(SandboxSqlAudit.IsWrite(Request(SqlRequestKind.ProcedureCall, "dbo.usp_ReadOnlyLooking")));
    }

    [Fact]
    public void Writes_filters_an_audit_log()
    {
        var log = new[] { Batch(SqlServerFacts.Query), Batch(BackupQueries.DropDatabase("x")), Batch(BackupQueries.VerifyOnly(["/b/x.bak"], 10)) };

        Assert.Equal([BackupQueries.DropDatabase("x")], SandboxSqlAudit.Writes(log).Select(r => r.Text));
    }
}
