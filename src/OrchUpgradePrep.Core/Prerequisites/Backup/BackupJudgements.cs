using System.Globalization;
using System.IO.Abstractions;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Verdicts on a <see cref="BackupPreflight"/>, shared by check mode's checks and prepare's backup step.</summary>
public static class BackupJudgements
{
    /// <summary>Room to keep free beyond the estimate: the log grows while the backup runs.</summary>
    public const double Headroom = 1.10;

    public static CheckOutcome Permissions(BackupPreflight facts, VerifyLevel verify, string source)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var p = facts.Permissions;
        var login = facts.LoginName ?? "<the login orchprep uses>";
        var evidence = new List<Evidence>
        {
            new(source, string.Create(CultureInfo.InvariantCulture,
                $"sysadmin {Yes(p.IsSysadmin)}, BACKUP DATABASE on [{facts.Database}] {Yes(p.CanBackup)}, CREATE ANY DATABASE {Yes(p.CanCreateDatabase)}, CONTROL SERVER {Yes(p.CanControlServer)}")),
        };
        var missing = new List<string>();
        var grants = new List<string>();
        if (!p.IsSysadmin && !p.CanBackup)
        {
            missing.Add($"BACKUP DATABASE on [{facts.Database}] (db_backupoperator or db_owner)");
        }

        if (!p.IsSysadmin && !p.CanCreateDatabase)
        {
            missing.Add(verify == VerifyLevel.Restore
                ? "CREATE ANY DATABASE (RESTORE VERIFYONLY/HEADERONLY and the test restore need it)"
                : "CREATE ANY DATABASE (RESTORE VERIFYONLY and HEADERONLY need it)");
        }

        // docs/sql-permissions.md's grants, each named with the statement that grants it (BACKUP DATABASE and CREATE ANY
        // DATABASE are named above from the same HAS_PERMS_BY_NAME answer).
        foreach (var grant in facts.MissingGrants.Where(g => g.Need == GrantNeed.Required))
        {
            if (grant.Column is not ("backup_database" or "create_any_database"))
            {
                missing.Add($"{LoginGrants.Describe(grant)} ({grant.NeededFor})");
            }

            grants.Add(grant.GrantFor(login));
            evidence.Add(new Evidence("missing grant: " + LoginGrants.Describe(grant), grant.GrantFor(login)));
        }

        if (missing.Count > 0)
        {
            return CheckOutcome.Unmet(
                $"The SQL login lacks: {string.Join("; ", missing)}.",
                (grants.Count > 0 ? $"Run as a sysadmin: {string.Join(" ", grants)} " : "Grant the login db_backupoperator in the Orchestrator database and CREATE ANY DATABASE (or dbcreator) on the server. ")
                    + "Or use a sysadmin login for the upgrade window. docs/sql-permissions.md has the whole script.",
                [.. evidence]);
        }

        var optional = facts.MissingGrants.Where(g => g.Need == GrantNeed.Optional).ToList();
        var cannotSaveKey = !p.IsSysadmin && !p.CanControlServer;
        if (optional.Count > 0 || cannotSaveKey)
        {
            var what = new List<string>();
            if (cannotSaveKey)
            {
                what.Add("not the service master key (needs CONTROL SERVER)");
            }

            what.AddRange(optional.Select(g => $"not {g.NeededFor} (needs {LoginGrants.Describe(g)})"));
            evidence.AddRange(optional.Select(g => new Evidence("missing grant: " + LoginGrants.Describe(g), g.GrantFor(login))));
            return CheckOutcome.Warning(
                $"The login can back up and verify the database but {string.Join(", and ", what)}.",
                string.Join(" ", optional.Select(g => $"Run as a sysadmin: {g.GrantFor(login)}").Concat(cannotSaveKey
                    ? ["Grant CONTROL SERVER for the upgrade window (it implies every permission on the instance), or back up the service master key yourself and keep it with the database backup."]
                    : [])),
                [.. evidence]);
        }

        return CheckOutcome.Met("The login may back up, verify" + (verify == VerifyLevel.Restore ? ", test-restore" : string.Empty) + " and save the service master key.", [.. evidence]);
    }

    /// <summary>The estimate (used pages, uncompressed: compressed backups pre-allocate) against free space where the files go.</summary>
    public static CheckOutcome FreeSpace(BackupPreflight facts, string? directory, IFileSystem runnerFileSystem, string source)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(runnerFileSystem);
        var estimate = facts.EstimatedBackupBytes;
        var required = (long)Math.Ceiling(estimate * Headroom);
        var sizeEvidence = new Evidence(source, facts.Describe());
        if (directory is null)
        {
            return CheckOutcome.Unmet(
                "No backup folder is configured.",
                "Set policies.backup.directory in orchprep.yml (a folder the SQL Server service account can write, e.g. \\\\backup01\\orch) or pass --backup-dir.",
                sizeEvidence);
        }

        long available;
        Evidence spaceEvidence;
        if (facts.VolumeFor(directory) is { } volume)
        {
            available = volume.AvailableBytes;
            spaceEvidence = new Evidence($"{source}: sys.dm_os_volume_stats", $"{volume.MountPoint}: {Bytes.Format(volume.AvailableBytes)} free of {Bytes.Format(volume.TotalBytes)}");
        }
        else if (RunnerFreeSpace(runnerFileSystem, directory) is { } runnerFree)
        {
            available = runnerFree;
            spaceEvidence = new Evidence("runner: free space of " + directory, Bytes.Format(runnerFree) + " free");
        }
        else
        {
            return CheckOutcome.Warning(
                $"Free space at {directory} is unknown: SQL Server reports no volume that holds it{(facts.VolumesUnavailableReason is { } why ? " (" + why + ")" : string.Empty)} and this runner cannot see it. The backup needs about {Bytes.Format(required)}.",
                "Make sure the folder has room, or grant VIEW SERVER STATE so SQL Server can report it, or back up to a share this runner can also read.",
                sizeEvidence);
        }

        var need = new Evidence("estimate", string.Create(CultureInfo.InvariantCulture, $"used pages {Bytes.Format(estimate)} × {Headroom:0.00} headroom = {Bytes.Format(required)}"));
        if (available < required)
        {
            return CheckOutcome.Unmet(
                $"{directory} has {Bytes.Format(available)} free; the backup needs about {Bytes.Format(required)}.",
                "Free space there, or point policies.backup.directory / --backup-dir at a folder with room. Nothing was written.",
                sizeEvidence, spaceEvidence, need);
        }

        return CheckOutcome.Met($"{directory} has {Bytes.Format(available)} free; the backup needs about {Bytes.Format(required)}.", sizeEvidence, spaceEvidence, need);
    }

    /// <summary>compression: auto → where the edition has it; on → required (unmet on Express/Web); off → never.</summary>
    public static (bool Compress, string? Problem) Compression(BackupPreflight facts, BackupCompression policy)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return policy switch
        {
            BackupCompression.Off => (false, null),
            BackupCompression.On when !facts.EditionSupportsCompression =>
                (false, $"policies.backup.compression is on, but {facts.Server.Edition} has no backup compression (Express and Web lack it); set compression: auto or off"),
            BackupCompression.On => (true, null),
            _ => (facts.EditionSupportsCompression, null),
        };
    }

    private static long? RunnerFreeSpace(IFileSystem fileSystem, string directory)
    {
        try
        {
            if (!fileSystem.Directory.Exists(directory))
            {
                return null;
            }

            var drive = fileSystem.DriveInfo.New(fileSystem.Path.GetFullPath(directory));
            return drive.IsReady ? drive.AvailableFreeSpace : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string Yes(bool value) => value ? "yes" : "no";
}
