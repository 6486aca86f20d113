namespace OrchUpgradePrep.Model;

public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>The backup section of report.json (docs/outputs.md, docs/report-schema.json). Filled by the backup issue's prepare steps.</summary>
public sealed record BackupSummary
{
    public IReadOnlyList<BackupFile> Files { get; init; } = [];
    public bool CopyOnly { get; init; }
    public bool Checksum { get; init; }
    public bool Compressed { get; init; }
    public VerifiedLevel Verified { get; init; } = VerifiedLevel.None;
    public string? FirstLsn { get; init; }
    public string? LastLsn { get; init; }

    /// <summary>The other SQL Server instance the test restore ran on (verify: restore with a restore server), when it
    /// happened there; null otherwise. Written as backup.restoredOn only when set (an additive field).</summary>
    public string? RestoredOn { get; init; }
}
