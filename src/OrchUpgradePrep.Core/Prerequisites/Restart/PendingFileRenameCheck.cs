using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// Signals #7 and #8: file renames and deletes Session Manager performs at the next boot. Noisy: entries that match
/// a known-benign pattern only warn, any other entry is unmet; every entry is evidence. The value must be
/// REG_MULTI_SZ: another type is an error, never "pending" (the PendingReboot type-mismatch bug, docs/facts/restart-signals.md#known-bugs).
/// </summary>
public abstract class PendingFileRenameCheck : RestartValueCheck
{
    protected PendingFileRenameCheck(string id, string title, string valueName)
        : base(id, title, blocking: true, valueName, RestartKeys.SessionManager)
    {
    }

    protected override string Meaning => $"Session Manager will rename or delete files at the next boot ({ValueName})";

    protected override string ExpectedType => "REG_MULTI_SZ";

    protected override string HowToSee =>
        $"read the entries in the evidence (`(Get-ItemProperty 'HKLM:\\{RestartKeys.SessionManager}').{ValueName}`): pairs of source and destination, an empty destination deletes. " +
        $"If an entry survives restarts and is known to be harmless, skip the signal with a reason in orchprep.yml: " +
        $"`policies: {{ restart: {{ skip: [ {{ id: {Id}, reason: \"...\" }} ] }} }}`.";

    protected override ValueReading Read(RegistryValue value)
    {
        if (value is not { Type: RegistryValueType.MultiString, Data: string[] strings })
        {
            return ValueReading.Of(RestartReading.WrongType, string.Empty);
        }

        var entries = PendingFileRename.Parse(strings);
        var evidence = entries.Select(e => new Evidence($@"HKLM\{RestartKeys.SessionManager}\{ValueName} entry {e.Number}", e.Describe())).ToArray();
        var real = entries.Count(e => e.BenignReason is null);
        return entries.Count == 0
            ? ValueReading.Of(RestartReading.NotPending, "value present, no entries")
            : real > 0
                ? new ValueReading(RestartReading.Pending, $"{real} of {entries.Count} entries not known-benign", evidence)
                : new ValueReading(RestartReading.Benign, $"{entries.Count} {(entries.Count == 1 ? "entry" : "entries")}, all known-benign", evidence);
    }
}
