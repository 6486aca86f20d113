using System.IO.Abstractions.TestingHelpers;
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

public sealed class EncryptionKeysCheckTests
{
    private const string Folder = "/srv/backup/orch";
    private static readonly byte[] TdeThumbprint = [0xAB, 0xCD, 0x01, 0x02];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MockFileSystem KeyFolder(bool withKey = true)
    {
        var files = new MockFileSystem();
        files.AddDirectory(Folder);
        if (withKey)
        {
            files.AddFile($"{Folder}/SQL01_20261125050000_orchprep.smk", new MockFileData(new byte[96]));
        }

        return files;
    }

    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql, MockFileSystem? files = null, string? directory = Folder) =>
        await new EncryptionKeysCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig
                {
                    Name = "prod",
                    Target = TargetVersion.V2022,
                    Sql = sql is null ? null : new SqlConfig { Server = "sql01" },
                    Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = directory } },
                },
                Target = TargetVersion.V2022,
                Time = TimeProvider.System,
                Sql = sql,
                FileSystem = files ?? KeyFolder(),
            },
            Ct);

    /// <summary>A server whose Orchestrator database (id 5) has a master key and, unless told otherwise, nothing else to worry about.</summary>
    private static FakeSqlConnector Server(
        bool masterKey = true, bool byServer = true, bool tde = false, DateTime? tdeBackup = null, bool sysadmin = true, bool viewDefinition = false,
        params SqlRow[] otherCertificates)
    {
        var sql = new FakeSqlConnector()
            .Answer("FROM sys.databases", Row(("database_id", 5), ("is_master_key_encrypted_by_server", byServer), ("is_encrypted", tde)))
            .Answer("VIEW ANY DEFINITION", Row(("is_sysadmin", sysadmin), ("view_any_definition", viewDefinition), ("view_database_definition", viewDefinition)))
            .Answer("SERVERPROPERTY('ServerName')", Row(("ServerName", "SQL01")))
            .Answer("FROM sys.symmetric_keys", masterKey ? [Row(("name", "##MS_DatabaseMasterKey##"), ("create_date", new DateTime(2024, 1, 1)))] : []);
        sql.Answer("FROM sys.dm_database_encryption_keys", tde
            ? [Row(("database_id", 2), ("encryption_state", 3), ("encryptor_thumbprint", new byte[] { 0 }), ("encryptor_type", "ASYMMETRIC KEY")),
               Row(("database_id", 5), ("encryption_state", 3), ("encryptor_thumbprint", TdeThumbprint), ("encryptor_type", "CERTIFICATE"))]
            : []);
        sql.Answer("FROM master.sys.certificates",
        [
            Row(("name", "##MS_SQLResourceSigningCertificate##"), ("pvt_key_encryption_type_desc", "NO_PRIVATE_KEY"), ("thumbprint", new byte[] { 9 }), ("pvt_key_last_backup_date", null)),
            .. tde ? [Row(("name", "OrchTDE"), ("pvt_key_encryption_type_desc", "ENCRYPTED_BY_MASTER_KEY"), ("thumbprint", TdeThumbprint), ("pvt_key_last_backup_date", tdeBackup))] : Array.Empty<SqlRow>(),
            .. otherCertificates,
        ]);
        return sql;
    }

    [Fact]
    public async Task A_master_key_protected_by_a_backed_up_service_master_key_and_no_tde_is_met_with_the_facts_as_evidence()
    {
        var outcome = await Run(Server());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("no database encryption key", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("is_master_key_encrypted_by_server = 1", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("SQL01_20261125050000_orchprep.smk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tde_certificate_backed_up_is_met_and_one_never_backed_up_is_unmet_with_the_backup_certificate_step()
    {
        var met = await Run(Server(tde: true, tdeBackup: new DateTime(2026, 1, 2, 3, 4, 5)));
        Assert.Equal(CheckStatus.Met, met.Status);
        Assert.Contains(met.Evidence, e => e.Value.Contains("TDE certificate [OrchTDE] 0xABCD0102", StringComparison.Ordinal) && e.Value.Contains("2026-01-02 03:04:05", StringComparison.Ordinal));

        var unmet = await Run(Server(tde: true));
        Assert.Equal(CheckStatus.Unmet, unmet.Status);
        Assert.Contains("[OrchTDE]", unmet.Detail, StringComparison.Ordinal);
        Assert.Contains("never been backed up", unmet.Detail, StringComparison.Ordinal);
        Assert.Contains("BACKUP CERTIFICATE [OrchTDE] TO FILE = N'/srv/backup/orch/OrchTDE.cer' WITH PRIVATE KEY (FILE = N'/srv/backup/orch/OrchTDE.pvk'", unmet.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_key_only_its_password_opens_is_unmet_with_the_master_key_steps()
    {
        var outcome = await Run(Server(byServer: false));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("not encrypted by the service master key", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("ALTER MASTER KEY ADD ENCRYPTION BY SERVICE MASTER KEY", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains("BACKUP MASTER KEY TO FILE = N'/srv/backup/orch/Orchestrator_master.key'", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_key_whose_service_master_key_was_never_backed_up_is_a_warning_with_that_step_never_met()
    {
        // backup.service-master-key holds the verdict on the key file itself; this check does not fail the gate twice for it.
        var outcome = await Run(Server(), KeyFolder(withKey: false));
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("SQL01_*_orchprep.smk", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("backup.service-master-key", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("BACKUP SERVICE MASTER KEY", outcome.Remediation, StringComparison.Ordinal);

        var noFolder = await Run(Server(), directory: null);
        Assert.Equal(CheckStatus.Warning, noFolder.Status);
        Assert.Contains("policies.backup.directory", noFolder.Remediation, StringComparison.Ordinal);

        // Without a master key there is nothing the service master key must open.
        Assert.Equal(CheckStatus.Met, (await Run(Server(masterKey: false), KeyFolder(withKey: false))).Status);
    }

    [Fact]
    public async Task A_folder_this_runner_cannot_see_is_unknown_never_met()
    {
        var outcome = await Run(Server(), new MockFileSystem());
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("cannot see /srv/backup/orch", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_view_server_state_tde_is_unknown_and_the_outcome_a_warning_naming_the_permission()
    {
        var sql = new FakeSqlConnector()
            .AnswerFails("FROM sys.dm_database_encryption_keys",
                new SqlMessage(300, 14, 1, "VIEW SERVER STATE permission was denied on object 'server', database 'master'."),
                new SqlMessage(297, 16, 1, "The user does not have permission to perform this action."));
        var outcome = await Run(Copy(Server(tde: true, tdeBackup: DateTime.UtcNow), sql));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("sys.dm_database_encryption_keys could not be read", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("sys.databases says it is encrypted", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("VIEW SERVER STATE", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_that_cannot_see_key_definitions_gets_a_warning_not_met()
    {
        var outcome = await Run(Server(sysadmin: false, viewDefinition: false));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("VIEW ANY DEFINITION", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("VIEW DEFINITION", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Met, (await Run(Server(sysadmin: false, viewDefinition: true))).Status);
    }

    [Fact]
    public async Task A_version_without_pvt_key_last_backup_date_is_unknown()
    {
        var sql = new FakeSqlConnector().AnswerFails("FROM master.sys.certificates", new SqlMessage(207, 16, 1, "Invalid column name 'pvt_key_last_backup_date'."));
        var outcome = await Run(Copy(Server(), sql));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("Invalid column name 'pvt_key_last_backup_date'", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_certificate_with_a_private_key_never_backed_up_is_a_warning_naming_it()
    {
        var outcome = await Run(Server(otherCertificates:
            Row(("name", "BackupCert"), ("pvt_key_encryption_type_desc", "ENCRYPTED_BY_MASTER_KEY"), ("thumbprint", new byte[] { 7 }), ("pvt_key_last_backup_date", null))));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("[BackupCert]", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("BACKUP CERTIFICATE [BackupCert]", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sql_it_is_skipped_without_the_database_it_is_an_error_and_it_only_reads()
    {
        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
        var missing = new FakeSqlConnector().Answer("FROM sys.databases");
        Assert.Equal(CheckStatus.Error, (await Run(missing)).Status);

        var sql = Server(tde: true);
        await Run(sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Against_the_sandbox_server_tde_and_a_password_only_master_key_are_named()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile
        {
            DelayPerChunk = TimeSpan.Zero,
            Certificates = [new SandboxCertificate("OrchTDE", null), new SandboxCertificate("Nightly", TimeSpan.FromDays(3))],
            TdeCertificate = "OrchTDE",
            MasterKey = SandboxMasterKey.PasswordOnly,
        });
        var outcome = await new EncryptionKeysCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig
                {
                    Name = "sandbox",
                    Target = TargetVersion.V2022,
                    Sql = sql.Config(),
                    Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = Folder } },
                },
                Target = TargetVersion.V2022,
                Time = TimeProvider.System,
                Sql = sql.Connector(),
                FileSystem = KeyFolder(),
            },
            Ct);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("TDE certificate [OrchTDE]", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("not encrypted by the service master key", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("[Nightly]", StringComparison.Ordinal) && !e.Value.Contains("never", StringComparison.Ordinal));
    }

    /// <summary>The failing answers of <paramref name="failing"/> first, then every answer of <paramref name="server"/>.</summary>
    private static FakeSqlConnector Copy(FakeSqlConnector server, FakeSqlConnector failing) => failing.Then(server);
}
