using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Collects the backup step's verdicts as report rows (environment scope), each with its help page and the
/// time since the previous verdict; <see cref="SkipRest"/> makes every id not yet decided a visible skip.</summary>
internal sealed class BackupStepResults(string environmentName, TimeProvider time)
{
    private static readonly string[] Order =
    [
        BackupCheckIds.Permissions, BackupCheckIds.FreeSpace, BackupCheckIds.Taken, BackupCheckIds.VerifyOnly, BackupCheckIds.Header,
        BackupCheckIds.MsdbHistory, BackupCheckIds.Sha256, BackupCheckIds.TestRestore, BackupCheckIds.RestoreKeys, BackupCheckIds.ServiceMasterKey, BackupCheckIds.RecentFullVerified,
    ];

    private readonly List<CheckResult> _results = [];
    private long _last = time.GetTimestamp();

    public IReadOnlyList<CheckResult> All => _results.OrderBy(r => Array.IndexOf(Order, r.Id)).ToList();

    public CheckResult Add(string id, CheckOutcome outcome)
    {
        var now = time.GetTimestamp();
        var result = StepResult.From(id, Prerequisite.Backup, BackupCheckIds.TitleOf(id), environmentName, outcome, time.GetElapsedTime(_last, now));
        _last = now;
        _results.RemoveAll(r => r.Id == id);
        _results.Add(result);
        return result;
    }

    public void SkipRest(string reason)
    {
        // backup.restore-keys exists only when a restore on another server ran; its test-restore row says why it did not.
        foreach (var id in Order.Where(id => id != BackupCheckIds.RestoreKeys && _results.All(r => r.Id != id)))
        {
            Add(id, CheckOutcome.Skipped(reason));
        }
    }

    public bool Has(string id) => _results.Any(r => r.Id == id);
}
