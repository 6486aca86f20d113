using OrchUpgradePrep.Sandbox.SqlServer;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>The SQL Server of each scenario. Every one holds the Orchestrator database; msdb remembers last night's
/// maintenance backup, three days old in a live environment (so check mode honestly reports the backup unmet).</summary>
internal static class SandboxSqlProfiles
{
    private const string NightlyDevice = @"\\backup01\sql\ORCH-SQL01_Orchestrator_FULL_nightly.bak";

    public static SandboxSqlProfile Healthy(DateTimeOffset now) => new()
    {
        History = [new SeededBackup(TimeSpan.FromDays(3) + TimeSpan.FromHours(2), CopyOnly: false, HasChecksums: true, IsDamaged: false, NightlyDevice)],
    };

    public static SandboxSqlProfile Ready(DateTimeOffset now) => new()
    {
        History = [new SeededBackup(TimeSpan.FromHours(2), CopyOnly: true, HasChecksums: true, IsDamaged: false, NightlyDevice)],
    };

    /// <summary>Less free space than the database's used pages: the backup must fail before writing.</summary>
    public static SandboxSqlProfile LowDisk(DateTimeOffset now) => Healthy(now) with { FreeBytes = 16L << 20, VolumeBytes = 80L << 30 };

    public static SandboxSqlProfile NoPermission(DateTimeOffset now) => Healthy(now) with
    {
        IsSysadmin = false,
        CanBackup = false,
        CanCreateDatabase = false,
        CanControlServer = false,
        HasViewServerState = false,
    };

    public static SandboxSqlProfile ExpressEdition(DateTimeOffset now) => Healthy(now) with { Edition = "Express Edition (64-bit)", EngineEdition = 4 };

    public static SandboxSqlProfile CorruptBackup(DateTimeOffset now) => Healthy(now) with { Fault = SandboxSqlFault.CorruptBackupAfterWrite };

    public static SandboxSqlProfile ConnectionDrop(DateTimeOffset now) => Healthy(now) with { Fault = SandboxSqlFault.DropConnectionMidBackup };

    public static SandboxSqlProfile Slow(DateTimeOffset now) => Healthy(now) with { DelayPerChunk = TimeSpan.FromMilliseconds(40) };

    /// <summary>SQL Server 2012 SP4: too old for Orchestrator 2022.</summary>
    public static SandboxSqlProfile OldSql(DateTimeOffset now) => Healthy(now) with
    {
        ProductVersion = "11.0.7001.0",
        ProductLevel = "SP4",
        ProductUpdateLevel = "GDR",
    };
}
