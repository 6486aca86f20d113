using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// The keys a restore of the Orchestrator database on another server needs are backed up too: a TDE certificate in
/// master (sys.dm_database_encryption_keys → sys.certificates.pvt_key_last_backup_date), other certificates in master
/// with a private key (they may encrypt backups), and the database master key, which another server opens only when it
/// is encrypted by the service master key (sys.databases.is_master_key_encrypted_by_server) and that key's backup exists
/// (the same folder evidence as backup.service-master-key). What the login cannot see (metadata visibility, VIEW SERVER
/// STATE, a column older versions lack) is a warning naming it, never met. docs/facts/backup-keys.md has the facts.
/// </summary>
public sealed class EncryptionKeysCheck : ICheck
{
    /// <summary>@database.</summary>
    public const string DatabaseQuery =
        "SELECT database_id, is_master_key_encrypted_by_server, is_encrypted FROM sys.databases WHERE name = @database";

    /// <summary>Whether the catalog views below show everything (metadata visibility). @database.</summary>
    public const string VisibilityQuery =
        "SELECT IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION') AS view_any_definition, " +
        "HAS_PERMS_BY_NAME(@database, 'DATABASE', 'VIEW DEFINITION') AS view_database_definition";

    /// <summary>TDE: one row per database with a database encryption key (needs VIEW SERVER STATE).</summary>
    public const string EncryptionKeysQuery =
        "SELECT database_id, encryption_state, encryptor_thumbprint, encryptor_type FROM sys.dm_database_encryption_keys";

    /// <summary>Certificates in master; pvt_key_last_backup_date is NULL when the private key was never backed up.</summary>
    public const string CertificatesQuery =
        "SELECT name, pvt_key_encryption_type_desc, thumbprint, pvt_key_last_backup_date FROM master.sys.certificates";

    /// <summary>The session's database is the Orchestrator database.</summary>
    public const string MasterKeyQuery =
        "SELECT name, create_date FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##'";

    public string Id => BackupCheckIds.EncryptionKeys;
    public string Title => BackupCheckIds.TitleOf(Id);
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is not { } config)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var source = context.Sql.Description;
        var directory = context.Environment.Policies.Backup.Directory;
        var parameters = new Dictionary<string, object?> { ["@database"] = config.Database };
        var judgement = new Judgement(source, directory);

        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var databaseRows = await session.QueryAsync(DatabaseQuery, parameters, cancellationToken).ConfigureAwait(false);
            if (databaseRows.Count == 0)
            {
                return CheckOutcome.Error($"The database '{config.Database}' is not in sys.databases, so its keys cannot be read.");
            }

            var database = databaseRows[0];
            var databaseId = database.Int64("database_id");
            var visibility = (await session.QueryAsync(VisibilityQuery, parameters, cancellationToken).ConfigureAwait(false)).Single();
            var seesServer = visibility.Flag("is_sysadmin") || visibility.Flag("view_any_definition");
            var seesDatabase = seesServer || visibility.Flag("view_database_definition");

            var tde = await ReadTdeAsync(session, databaseId, database.Flag("is_encrypted"), config.Database, judgement, cancellationToken).ConfigureAwait(false);
            await JudgeCertificatesAsync(session, tde, seesServer, judgement, cancellationToken).ConfigureAwait(false);
            await JudgeMasterKeyAsync(session, context, config.Database, database.Flag("is_master_key_encrypted_by_server"), seesDatabase, judgement, cancellationToken).ConfigureAwait(false);
        }

        return judgement.Outcome();
    }

    /// <summary>The TDE encryptor of the Orchestrator database, or null when it has none or it could not be read (then noted).</summary>
    private static async Task<(string Thumbprint, string Type)?> ReadTdeAsync(
        ISqlSession session, long? databaseId, bool isEncrypted, string database, Judgement judgement, CancellationToken cancellationToken)
    {
        IReadOnlyList<SqlRow> rows;
        try
        {
            rows = await session.QueryAsync(EncryptionKeysQuery, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex) when (ex.Number is 297 or 300 or 229)
        {
            judgement.Unknown(
                $"sys.dm_database_encryption_keys could not be read ({ex.Message}), so whether [{database}] uses TDE{(isEncrypted ? " (sys.databases says it is encrypted)" : string.Empty)} and which certificate protects it is unknown.",
                "Grant the login VIEW SERVER STATE (docs/sql-permissions.md) or run as a sysadmin.");
            return null;
        }

        var row = rows.FirstOrDefault(r => r.Int64("database_id") == databaseId);
        if (row is null)
        {
            judgement.Evidence.Add(new Evidence(judgement.Source + ": sys.dm_database_encryption_keys", $"no database encryption key for [{database}] (no TDE)"));
            return null;
        }

        var thumbprint = Hex(row["encryptor_thumbprint"]);
        var type = row.String("encryptor_type") ?? "?";
        judgement.Evidence.Add(new Evidence(judgement.Source + ": sys.dm_database_encryption_keys", string.Create(CultureInfo.InvariantCulture,
            $"[{database}] has a database encryption key (encryption_state {row.Int64("encryption_state")}), protected by {type} {thumbprint}")));
        return (thumbprint, type);
    }

    private static async Task JudgeCertificatesAsync(
        ISqlSession session, (string Thumbprint, string Type)? tde, bool seesServer, Judgement judgement, CancellationToken cancellationToken)
    {
        if (tde is { Type: var type } && !string.Equals(type, "CERTIFICATE", StringComparison.OrdinalIgnoreCase))
        {
            judgement.Unknown(
                $"The database encryption key is protected by an {type} (an EKM provider's key): orchprep cannot see whether it is backed up.",
                "Make sure the EKM provider's key is available to the server you would restore on.");
        }

        IReadOnlyList<SqlRow> rows;
        try
        {
            rows = await session.QueryAsync(CertificatesQuery, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex) when (ex.Number is 207 or 208 or 229 or 916)
        {
            // 207: pvt_key_last_backup_date is missing on older versions (which version added it is UNCONFIRMED).
            judgement.Unknown(
                $"master.sys.certificates could not be read ({ex.Message}), so whether the certificates in master were backed up is unknown.",
                "Read master.sys.certificates as a sysadmin; back up every certificate that protects TDE or encrypts backups (BACKUP CERTIFICATE … WITH PRIVATE KEY).");
            return;
        }

        if (!seesServer)
        {
            judgement.Unknown(
                "The login is neither sysadmin nor holds VIEW ANY DEFINITION: SQL Server hides certificates it may not see, so an empty list proves nothing.",
                "Run the check as a sysadmin, or grant VIEW ANY DEFINITION for the upgrade window.");
        }

        var certificates = rows
            .Select(r => new Certificate(r.String("name") ?? "?", r.String("pvt_key_encryption_type_desc") ?? "?", Hex(r["thumbprint"]), r["pvt_key_last_backup_date"] as DateTime?))
            .ToList();
        if (tde is { Type: var encryptor, Thumbprint: var thumbprint } && string.Equals(encryptor, "CERTIFICATE", StringComparison.OrdinalIgnoreCase))
        {
            var certificate = certificates.FirstOrDefault(c => string.Equals(c.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase));
            if (certificate is null)
            {
                judgement.Unknown(
                    $"The TDE certificate {thumbprint} is not in master.sys.certificates as this login sees it, so its backup cannot be told.",
                    "Read master.sys.certificates as a sysadmin.");
            }
            else if (certificate.LastBackup is null)
            {
                judgement.Problem(
                    $"The TDE certificate [{certificate.Name}] that protects the database has never been backed up (pvt_key_last_backup_date is NULL): without it the backup cannot be restored on another server.",
                    $"USE [master]; BACKUP CERTIFICATE {TSql.Identifier(certificate.Name)} TO FILE = {TSql.String(judgement.FileIn(certificate.Name + ".cer"))} WITH PRIVATE KEY (FILE = {TSql.String(judgement.FileIn(certificate.Name + ".pvk"))}, ENCRYPTION BY PASSWORD = N'<a strong password>'); — keep the files and the password with the database backup.");
                judgement.Evidence.Add(certificate.ToEvidence(judgement.Source, "TDE certificate"));
            }
            else
            {
                judgement.Evidence.Add(certificate.ToEvidence(judgement.Source, "TDE certificate"));
            }
        }

        // Other certificates with a private key: orchprep cannot tell whether they encrypt backups, so a missing backup is a warning.
        foreach (var certificate in certificates.Where(c => !c.Name.StartsWith("##", StringComparison.Ordinal)
            && !string.Equals(c.PrivateKey, "NO_PRIVATE_KEY", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(c.Thumbprint, tde?.Thumbprint, StringComparison.OrdinalIgnoreCase)))
        {
            judgement.Evidence.Add(certificate.ToEvidence(judgement.Source, "certificate in master"));
            if (certificate.LastBackup is null)
            {
                judgement.Unknown(
                    $"The certificate [{certificate.Name}] in master has a private key that was never backed up; if it encrypts backups (BACKUP … WITH ENCRYPTION) or another database, those cannot be restored elsewhere without it.",
                    $"USE [master]; BACKUP CERTIFICATE {TSql.Identifier(certificate.Name)} TO FILE = {TSql.String(judgement.FileIn(certificate.Name + ".cer"))} WITH PRIVATE KEY (FILE = {TSql.String(judgement.FileIn(certificate.Name + ".pvk"))}, ENCRYPTION BY PASSWORD = N'<a strong password>');");
            }
        }
    }

    private static async Task JudgeMasterKeyAsync(
        ISqlSession session, CheckContext context, string database, bool encryptedByServer, bool seesDatabase, Judgement judgement, CancellationToken cancellationToken)
    {
        if (!seesDatabase)
        {
            judgement.Unknown(
                $"The login may not see key definitions in [{database}] (VIEW DEFINITION), so whether it has a database master key is unknown.",
                $"Run the check as a sysadmin or db_owner of [{database}], or grant VIEW DEFINITION there.");
            return;
        }

        var keys = await session.QueryAsync(MasterKeyQuery, null, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            judgement.Evidence.Add(new Evidence(judgement.Source + ": sys.symmetric_keys", $"[{database}] has no database master key"));
            return;
        }

        judgement.Evidence.Add(new Evidence(judgement.Source + ": sys.databases", string.Create(CultureInfo.InvariantCulture,
            $"[{database}] has a database master key; is_master_key_encrypted_by_server = {(encryptedByServer ? 1 : 0)}")));
        if (!encryptedByServer)
        {
            judgement.Problem(
                $"The database master key of [{database}] is not encrypted by the service master key: another server (and this one after a restart) opens it only with its password, which SQL Server does not keep.",
                $"USE [{database}]; OPEN MASTER KEY DECRYPTION BY PASSWORD = N'<its password>'; ALTER MASTER KEY ADD ENCRYPTION BY SERVICE MASTER KEY; BACKUP MASTER KEY TO FILE = {TSql.String(judgement.FileIn(database + "_master.key"))} ENCRYPTION BY PASSWORD = N'<a strong password>';");
            return;
        }

        // Encrypted by the service master key: another server opens it once that key is restored there (or with the
        // master key's password, which orchprep cannot see). The verdict on the key's backup is backup.service-master-key's
        // (unmet in check mode; in prepare without ORCHPREP_SMK_PASSWORD a warning, by design): here it is a warning, so
        // one missing file does not fail the gate twice (docs/checks/backup.encryption-keys.md).
        var serverRows = await session.QueryAsync(BackupQueries.ServerName, null, cancellationToken).ConfigureAwait(false);
        var server = serverRows.Count > 0 ? serverRows[0].String("ServerName") ?? string.Empty : string.Empty;
        const string SmkStep = "Run `orchprep prepare` with the pipeline secret ORCHPREP_SMK_PASSWORD set (it runs BACKUP SERVICE MASTER KEY beside the database backup), or as a sysadmin: BACKUP SERVICE MASTER KEY TO FILE = N'<folder>\\<server>_smk.key' ENCRYPTION BY PASSWORD = N'<a strong password>'; or keep the database master key's password with the backup.";
        const string Opens = "the database master key opens on another server only with that key restored there (or with its password)";
        if (judgement.Directory is null || server.Length == 0)
        {
            judgement.Unknown(
                server.Length == 0
                    ? $"SQL Server did not say its name, so its service master key backup cannot be found; {Opens}."
                    : $"No backup folder is configured, so there is no service master key backup to find (see backup.service-master-key); {Opens}.",
                "Set policies.backup.directory. " + SmkStep);
            return;
        }

        var files = ServiceMasterKeyFiles.Find(context.FileSystem, judgement.Directory, server);
        if (files is null)
        {
            judgement.Unknown($"This runner cannot see {judgement.Directory}, so whether the service master key is backed up is unknown; {Opens}.", SmkStep);
        }
        else if (files.Newest is null)
        {
            judgement.Unknown(
                $"The database master key of [{database}] is encrypted by the service master key, and {judgement.Directory} holds no backup of that key ({files.Prefix}*_orchprep.smk, see backup.service-master-key): {Opens}.",
                SmkStep);
        }
        else
        {
            judgement.Evidence.Add(new Evidence(files.Newest.FullName, string.Create(CultureInfo.InvariantCulture,
                $"service master key backup, {files.Newest.LastWriteTimeUtc:yyyy-MM-dd HH:mm:ss} UTC, {files.Newest.Length} bytes")));
        }
    }

    private static string Hex(object? value) => value is byte[] bytes ? "0x" + Convert.ToHexString(bytes) : "?";

    private sealed record Certificate(string Name, string PrivateKey, string Thumbprint, DateTime? LastBackup)
    {
        public Evidence ToEvidence(string source, string role) => new(
            $"{source}: master.sys.certificates",
            string.Create(CultureInfo.InvariantCulture, $"{role} [{Name}] {Thumbprint}, private key {PrivateKey}, last backed up {(LastBackup is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "never")}"));
    }

    /// <summary>Problems (unmet), unknowns (warning) and their steps, collected in order.</summary>
    private sealed class Judgement(string source, string? directory)
    {
        private readonly List<string> _problems = [];
        private readonly List<string> _unknowns = [];
        private readonly List<string> _steps = [];

        public string Source { get; } = source;

        public string? Directory { get; } = directory;

        public List<Evidence> Evidence { get; } = [];

        public string FileIn(string name) => ServerPath.Join(Directory ?? "<backup folder>", name);

        public void Problem(string detail, string step)
        {
            _problems.Add(detail);
            _steps.Add(step);
        }

        public void Unknown(string detail, string step)
        {
            _unknowns.Add(detail);
            _steps.Add(step);
        }

        public CheckOutcome Outcome()
        {
            var evidence = Evidence.Concat(_unknowns.Select(u => new Evidence("unknown", u))).ToArray();
            var remediation = string.Join(" ", _steps.Distinct(StringComparer.Ordinal));
            if (_problems.Count > 0)
            {
                return CheckOutcome.Unmet(string.Join(" ", _problems), remediation, evidence);
            }

            return _unknowns.Count > 0
                ? CheckOutcome.Warning(string.Join(" ", _unknowns), remediation, evidence)
                : CheckOutcome.Met("Every key a restore on another server needs is backed up (or none is in use).", evidence);
        }
    }
}
