using OrchUpgradePrep.Prerequisites.Backup;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class BackupStatementTests
{
    [Fact]
    public void Is_copy_only_with_checksum_and_quotes_every_name_and_path()
    {
        var sql = new BackupStatement
        {
            Database = "Orch]estrator",
            Files = [@"\\backup01\orch\a.bak", @"\\backup01\o'rch\b.bak"],
            Compress = true,
            Description = "orchprep before upgrade to 2022",
            Name = "Orchestrator full (orchprep)",
        }.ToSql();

        Assert.Equal(
            "BACKUP DATABASE [Orch]]estrator] TO DISK = N'\\\\backup01\\orch\\a.bak', DISK = N'\\\\backup01\\o''rch\\b.bak' " +
            "WITH COPY_ONLY, CHECKSUM, INIT, FORMAT, COMPRESSION, STATS = 5, DESCRIPTION = N'orchprep before upgrade to 2022', NAME = N'Orchestrator full (orchprep)'",
            sql);
    }

    [Fact]
    public void Without_compression_says_so_explicitly_so_the_server_default_cannot_decide()
    {
        var sql = new BackupStatement { Database = "Orchestrator", Files = ["/b/x.bak"], Description = "d", Name = "n" }.ToSql();
        Assert.Contains("NO_COMPRESSION", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nname")]
    public void Rejects_names_sql_server_would_not_accept(string database) =>
        Assert.Throws<ArgumentException>(() => new BackupStatement { Database = database, Files = ["/b/x.bak"], Description = "d", Name = "n" }.ToSql());

    [Fact]
    public void Rejects_a_nul_in_a_path() =>
        Assert.Throws<ArgumentException>(() => TSql.String("a\0b"));

    [Fact]
    public void Needs_one_to_sixty_four_files() =>
        Assert.Throws<InvalidOperationException>(() => new BackupStatement { Database = "Orchestrator", Files = [], Description = "d", Name = "n" }.ToSql());
}

public sealed class BackupFileNamesTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 25, 6, 30, 5, TimeSpan.FromHours(1));

    [Fact]
    public void Names_carry_server_database_utc_stamp_and_the_orchprep_marker()
    {
        Assert.Equal(["SQL01$ORCH_Orchestrator_20261125053005_orchprep.bak"], BackupFileNames.For(@"SQL01\ORCH", "Orchestrator", TakenAt, 1));
        Assert.Equal(
            ["sql01.contoso.local_1433_Orch_DB_20261125053005_orchprep_1of2.bak", "sql01.contoso.local_1433_Orch_DB_20261125053005_orchprep_2of2.bak"],
            BackupFileNames.For("sql01.contoso.local,1433", "Orch DB", TakenAt, 2));
    }

    [Theory]
    [InlineData("SQL01_Orchestrator_20261125053005_orchprep.bak", true)]
    [InlineData("SQL01_Orchestrator_20261125053005_orchprep_1of2.bak", true)]
    [InlineData("SQL01_Orchestrator_FULL_20261125.bak", false)]
    [InlineData("SQL01_Orchestrator_20261125053005_orchprep.bak.sha256", false)]
    public void Retention_touches_only_orchprep_backups(string name, bool expected) =>
        Assert.Equal(expected, BackupFileNames.IsOrchPrepBackup(name));
}
