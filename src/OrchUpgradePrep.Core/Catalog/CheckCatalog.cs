using OrchUpgradePrep.Prerequisites.Accounts;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Prerequisites.Programs;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Prerequisites.Restart;
using OrchUpgradePrep.Prerequisites.Runbooks;

namespace OrchUpgradePrep.Catalog;

/// <summary>Every check orchprep knows, in one list: the planner picks from it, `explain` and the docs convention test read it.</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<ICheck> CreateAll() =>
    [
        new NoRunningJobsCheck(),
        new NoPendingJobsCheck(),
        new MonitorRunbooksCheck(),
        new OrphanedInstancesCheck(),
        new SourcesAgreeCheck(),
        new CheckedOutRunbooksCheck(),
        new CbsRebootPendingCheck(),
        new CbsRebootInProgressCheck(),
        new CbsPackagesPendingCheck(),
        new WindowsUpdateRebootRequiredCheck(),
        new WindowsUpdatePostRebootReportingCheck(),
        new WindowsUpdateServicesPendingCheck(),
        new PendingFileRenameOperationsCheck(),
        new PendingFileRenameOperations2Check(),
        new ComputerRenameCheck(),
        new DomainJoinCheck(),
        new ServerManagerRebootAttemptsCheck(),
        new ServerComponentCacheCheck(),
        new UpdateExeVolatileCheck(),
        new DvdRebootSignalCheck(),
        new ConfigMgrClientCheck(),
        new DscPendingRebootCheck(),
        new OsVersionCheck(),
        new DesktopExperienceCheck(),
        new MemoryCheck(),
        new CpuCheck(),
        new DiskSpaceCheck(),
        new DotNetFrameworkCheck(),
        new AspNetCoreHostingBundleCheck(),
        new IisCheck(),
        new UpgradePathCheck(),
        new OleDbDriverCheck(),
        new VcRedistCheck(),
        new SqlCertificateTrustCheck(),
        new IntegrationPacksCheck(),
        new LegacyWebServiceCheck(),
        new SqlServerVersionCheck(),
        new SqlCollationCheck(),
        new RecentFullVerifiedBackupCheck(),
        new BackupPermissionsCheck(),
        new BackupFreeSpaceCheck(),
        new ServiceMasterKeyBackupCheck(),
        new EncryptionKeysCheck(),
        new DatabaseSizeCheck(),
        new LogHygieneCheck(),
        new LogChainInterplayCheck(),
        new ServiceAccountAccessCheck(),
        new OrchestratorProgramsCheck(),
        new OtherSessionsCheck(),
        new InstallerRunningCheck(),
        new UpgradeAdminCheck(),
        new ServiceAccountsCheck(),
    ];
}
