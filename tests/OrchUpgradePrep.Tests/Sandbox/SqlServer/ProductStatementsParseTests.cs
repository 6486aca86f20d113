using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>
/// Every statement orchprep can send, built by the classes that build them with representative arguments (awkward
/// names and paths included), parses with SQL Server's parser of every version it can be sent to: Orchestrator
/// supports SQL Server 2008 R2 SP1 onward, so TSql100 (10.x) up to TSql170 (17.x, SQL Server 2025).
/// </summary>
public sealed class ProductStatementsParseTests
{
    public static TheoryData<int> Versions => [10, 11, 12, 13, 14, 15, 16, 17];

    private static readonly string[] OneFile = [@"D:\Backup\ORCH-SQL01_Orchestrator_20250101.bak"];
    private static readonly string[] Stripes = [@"D:\Backup\a'1.bak", @"E:\Backup\b]2.bak", "/var/opt/mssql/backup/c 3.bak"];

    /// <summary>The statements by name (name, text).</summary>
    public static IEnumerable<(string Name, string Sql)> Statements()
    {
        foreach (var compress in new[] { true, false })
        {
            foreach (var files in new[] { OneFile, Stripes })
            {
                yield return ($"BACKUP DATABASE (compress {compress}, {files.Length} files)", new OrchUpgradePrep.Prerequisites.Backup.BackupStatement
                {
                    Database = "Orchestra]tor",
                    Files = files,
                    Compress = compress,
                    Description = "orchprep pre-upgrade backup 'quoted'",
                    Name = "orchprep-20250101T000000Z",
                }.ToSql());
            }
        }

        yield return ("BackupQueries.Database", BackupQueries.Database);
        yield return ("BackupQueries.DatabaseFiles", BackupQueries.DatabaseFiles);
        yield return ("BackupQueries.Volumes", BackupQueries.Volumes);
        yield return ("BackupQueries.Permissions", BackupQueries.Permissions);
        yield return ("BackupQueries.ServerName", BackupQueries.ServerName);
        yield return ("BackupQueries.HistoryOfBackupSet", BackupQueries.HistoryOfBackupSet);
        yield return ("BackupQueries.VerifyOnly", BackupQueries.VerifyOnly(Stripes, 5));
        yield return ("BackupQueries.HeaderOnly", BackupQueries.HeaderOnly(OneFile));
        yield return ("BackupQueries.FileListOnly", BackupQueries.FileListOnly(Stripes));
        yield return ("BackupQueries.RestoreAs", BackupQueries.RestoreAs("orchprep_verify_Orch]estrator", Stripes,
            [("Orchestrator", @"D:\Data\orchprep_verify.mdf"), ("Orchestrator_log", @"D:\Data\o'prep_verify_log.ldf")], 10));
        yield return ("BackupQueries.CheckDb", BackupQueries.CheckDb("orchprep_verify_Orchestrator"));
        yield return ("BackupQueries.DropDatabase", BackupQueries.DropDatabase("orchprep_verify_Orch]estrator"));
        yield return ("BackupQueries.BackupServiceMasterKey", BackupQueries.BackupServiceMasterKey(@"D:\Backup\ORCH-SQL01.smk", "Pa'ss]w0rd!"));
        yield return ("RecentFullVerifiedBackupCheck.HistoryQuery", RecentFullVerifiedBackupCheck.HistoryQuery);
        yield return ("EncryptionKeysCheck.DatabaseQuery", EncryptionKeysCheck.DatabaseQuery);
        yield return ("EncryptionKeysCheck.VisibilityQuery", EncryptionKeysCheck.VisibilityQuery);
        yield return ("EncryptionKeysCheck.EncryptionKeysQuery", EncryptionKeysCheck.EncryptionKeysQuery);
        yield return ("EncryptionKeysCheck.CertificatesQuery", EncryptionKeysCheck.CertificatesQuery);
        yield return ("EncryptionKeysCheck.MasterKeyQuery", EncryptionKeysCheck.MasterKeyQuery);
        yield return ("RestoreOnAnotherServer.ServerFactsQuery", RestoreOnAnotherServer.ServerFactsQuery);
        yield return ("RestoreOnAnotherServer.MasterKeyOf", RestoreOnAnotherServer.MasterKeyOf("Orchestrator_orchprep_verify_2025]0101"));
        yield return ("DatabaseSizeCheck.ThroughputQuery", DatabaseSizeCheck.ThroughputQuery);
        yield return ("LogHygieneCheck.TablesQuery", LogHygieneCheck.TablesQuery);
        yield return ("LogHygieneCheck.BusiestRunbookLogQuery", LogHygieneCheck.BusiestRunbookLogQuery);
        yield return ("LogChainInterplayCheck.VisibilityQuery", LogChainInterplayCheck.VisibilityQuery);
        yield return ("LogChainInterplayCheck.ObjectsQuery", LogChainInterplayCheck.ObjectsQuery("ms]db"));
        yield return ("ServiceAccountAccessCheck.ServicesQuery", ServiceAccountAccessCheck.ServicesQuery);
        yield return ("ServiceAccountAccessCheck.RecentDevicesQuery", ServiceAccountAccessCheck.RecentDevicesQuery);
        yield return ("ServiceAccountProbe.CreateDatabase", ServiceAccountProbe.CreateDatabase("orchprep_probe_2025]0101"));
        yield return ("ServiceAccountProbe.Backup", ServiceAccountProbe.Backup("orchprep_probe_20250101000000", @"D:\Backup\O'RCH_20250101000000_orchprep.probe").ToSql());
        yield return ("SqlCollationCheck.DatabaseQuery", SqlCollationCheck.DatabaseQuery);
        yield return ("SqlServerFacts.Query", SqlServerFacts.Query);
        yield return ("OrchestratorDatabase.ActiveJobsQuery", OrchestratorDatabase.ActiveJobsQuery);
        yield return ("OrchestratorDatabase.CancelJobStatement", OrchestratorDatabase.CancelJobStatement);
        yield return ("OrchestratorDatabase.ClearOrphansStatement", OrchestratorDatabase.ClearOrphansStatement);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_statement_orchprep_sends_parses_with_the_parser_of_each_supported_version(int major)
    {
        var failures = new List<string>();
        foreach (var (name, sql) in Statements())
        {
            var parser = SandboxSqlParser.ForMajorVersion(major, quotedIdentifier: true);
            parser.Parse(new StringReader(sql), out var errors);
            failures.AddRange(errors.Select(e => $"{name} ({parser.GetType().Name}): line {e.Line} column {e.Column}: {e.Message}"));
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void The_list_covers_each_kind_of_statement_orchprep_sends()
    {
        var kinds = Statements()
            .Select(s => ((TSqlScript)SandboxSqlParser.ForMajorVersion(16, true).Parse(new StringReader(s.Sql), out _)).Batches[0].Statements[0].GetType().Name)
            .ToHashSet();

        Assert.Superset(
            new HashSet<string> { nameof(BackupDatabaseStatement), nameof(SelectStatement), nameof(RestoreStatement), nameof(DbccStatement), nameof(DropDatabaseStatement), nameof(BackupServiceMasterKeyStatement), nameof(ExecuteStatement) },
            kinds);
    }

    [Fact]
    public void A_statement_the_oldest_supported_version_cannot_parse_fails_the_check()
    {
        // The test above would catch a template that needs a newer server: ALTER ROLE … ADD MEMBER is 2012 syntax.
        SandboxSqlParser.ForMajorVersion(10, true).Parse(new StringReader("ALTER ROLE db_backupoperator ADD MEMBER orchprep"), out var errors);

        Assert.NotEmpty(errors);
    }
}
