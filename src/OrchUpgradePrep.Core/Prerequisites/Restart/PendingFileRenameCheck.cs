using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// Signals #7 and #8: file renames and deletes Session Manager performs at the next boot. Noisy: entries that match
/// a known-benign pattern only warn; an entry whose source file no longer exists on the host is "stale" (nothing left
/// to rename or delete: antivirus and updater clean-ups leave them, docs/facts/host-facts.md#file-existence) and only
/// warns; any other entry is unmet. Whether a source exists comes from the host facts (live File.Exists, CIM_DataFile,
/// host.json files); when the source cannot tell, the entry stays pending. Every entry is evidence. The value must be
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

    protected override async Task<ValueReading> RefineAsync(RegistryValue value, ValueReading reading, CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(context);
        if (reading.Kind != RestartReading.Pending || value.Data is not string[] strings)
        {
            return reading;
        }

        var entries = PendingFileRename.Parse(strings);
        var real = entries.Where(e => e.BenignReason is null).ToList();
        var checkable = real.Where(e => e.LocalSource is not null).ToList();
        if (checkable.Count == 0)
        {
            return reading;
        }

        IReadOnlyDictionary<string, bool> exists;
        try
        {
            exists = await context.Facts.GetFilesExistAsync([.. checkable.Select(e => e.LocalSource!)], cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return reading with { Entries = [.. reading.Entries, new Evidence($"{context.Facts.SourceDescription}: source files", $"whether the sources still exist is unknown, so no entry is judged stale: {ex.Message}")] };
        }

        var stale = checkable.Where(e => exists.TryGetValue(e.LocalSource!, out var found) && !found).Select(e => e.Number).ToHashSet();
        var evidence = entries.Select(e => new Evidence(
            $@"HKLM\{RestartKeys.SessionManager}\{ValueName} entry {e.Number}",
            e.Describe() + (stale.Contains(e.Number) ? " (stale: the source file no longer exists)" : string.Empty))).ToArray();
        var remaining = real.Count - stale.Count;
        var staleNote = stale.Count == 0 ? string.Empty : $"; {stale.Count} stale (source file gone)";
        return remaining > 0
            ? new ValueReading(RestartReading.Pending, $"{remaining} of {entries.Count} entries not known-benign and not stale{staleNote}", evidence)
            : new ValueReading(RestartReading.Benign, $"{entries.Count} {(entries.Count == 1 ? "entry" : "entries")}: {stale.Count} stale (source file gone), {entries.Count - real.Count} known-benign", evidence);
    }

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
