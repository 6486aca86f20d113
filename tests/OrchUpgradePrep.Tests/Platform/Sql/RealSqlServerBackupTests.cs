using System.IO.Abstractions;
using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.Sql;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Sql;

/// <summary>L2: the same backup and verification against a real SQL Server. Runs when ORCHPREP_TEST_SQL holds a
/// connection string (SQL login; its database is backed up) and ORCHPREP_TEST_SQL_BACKUP_DIR a folder that server
/// can write; skipped, visibly, otherwise.</summary>
public sealed class RealSqlServerBackupTests
{
    [Fact]
    public async Task Backup_and_verify_against_a_real_server()
    {
        var connectionString = Environment.GetEnvironmentVariable("ORCHPREP_TEST_SQL");
        var directory = Environment.GetEnvironmentVariable("ORCHPREP_TEST_SQL_BACKUP_DIR");
        Assert.SkipWhen(string.IsNullOrEmpty(connectionString) || string.IsNullOrEmpty(directory),
            "set ORCHPREP_TEST_SQL (connection string) and ORCHPREP_TEST_SQL_BACKUP_DIR to run against a real SQL Server");

        var builder = new SqlConnectionStringBuilder(connectionString);
        var config = new SqlConfig
        {
            Server = builder.DataSource,
            Database = builder.InitialCatalog,
            Auth = builder.IntegratedSecurity ? SqlAuth.Integrated : SqlAuth.Sql,
            User = builder.UserID,
            PasswordEnv = "ORCHPREP_TEST_SQL_PASSWORD_INLINE",
            Encrypt = builder.Encrypt == SqlConnectionEncryptOption.Strict ? SqlEncrypt.Strict : builder.Encrypt == SqlConnectionEncryptOption.Optional ? SqlEncrypt.Optional : SqlEncrypt.Mandatory,
            TrustServerCertificate = builder.TrustServerCertificate,
        };
        var connector = new SqlClientConnector(config, name => name == "ORCHPREP_TEST_SQL_PASSWORD_INLINE" ? builder.Password : null);
        var preparation = new BackupPreparation(connector, new FileSystem(), TimeProvider.System, new BackupPreparationOptions
        {
            EnvironmentName = "real",
            Sql = config,
            Policy = new BackupPolicy { Directory = directory, Keep = 0 },
            Verify = VerifyLevel.Restore,
        });

        var result = await preparation.RunAsync(null, TestContext.Current.CancellationToken);

        Assert.True(result.Checks.Single(c => c.Id == BackupCheckIds.VerifyOnly).Status == CheckStatus.Met, string.Join("\n", result.Checks.Select(c => $"{c.Id}: {c.Status} {c.Detail}")));
        Assert.Equal(CheckStatus.Met, result.Checks.Single(c => c.Id == BackupCheckIds.Header).Status);
        Assert.Equal(CheckStatus.Met, result.Checks.Single(c => c.Id == BackupCheckIds.MsdbHistory).Status);
        Assert.Equal(CheckStatus.Met, result.Checks.Single(c => c.Id == BackupCheckIds.TestRestore).Status);
        Assert.Equal(VerifiedLevel.Restore, result.Summary!.Verified);
    }
}
