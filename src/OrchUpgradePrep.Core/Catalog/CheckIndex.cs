using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Programs;
using OrchUpgradePrep.Prerequisites.Runbooks;

namespace OrchUpgradePrep.Catalog;

/// <summary>One id a report can carry: a catalog check or the result of a prepare/resume step.</summary>
/// <param name="Modes">The modes whose report can hold it: catalog checks run in check and (re-checked) in prepare.</param>
public sealed record CheckIndexEntry(string Id, Prerequisite Prerequisite, string Title, IReadOnlyList<RunMode> Modes)
{
    public string HelpPage => CheckHelp.UriFor(Id);
}

/// <summary>
/// Every id a report can name, catalog checks first in catalog order, then the steps' results: what
/// <c>orchprep list checks</c> prints, so that a pipeline author can write <c>--only</c>/<c>--skip</c> and find the page.
/// </summary>
public static class CheckIndex
{
    public static IReadOnlyList<CheckIndexEntry> All()
    {
        var entries = CheckCatalog.CreateAll()
            .Select(c => new CheckIndexEntry(c.Id, c.Prerequisite, c.Title, [RunMode.Check, RunMode.Prepare]))
            .ToList();
        entries.AddRange(BackupCheckIds.PrepareOnly.Select(id => new CheckIndexEntry(id, Prerequisite.Backup, BackupCheckIds.TitleOf(id), [RunMode.Prepare])));
        entries.AddRange(ProgramStepIds.All.Select(id => new CheckIndexEntry(id, Prerequisite.Programs, ProgramStepIds.TitleOf(id), [RunMode.Prepare])));
        entries.AddRange(RunbookStepIds.All.Select(id => new CheckIndexEntry(
            id, Prerequisite.Runbooks, RunbookStepIds.TitleOf(id), [id == RunbookStepIds.Resumed ? RunMode.Resume : RunMode.Prepare])));
        return entries;
    }
}
