using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Masks every text of a report before it is rendered. Sinks mask too (<see cref="MaskingTextWriter"/>), but a
/// reporter's own escaping (Markdown <c>\|</c>, XML entities) can turn a secret into a form the masker does not know.
/// Fields orchprep produces as data (its name and version, the run's mode and outcome, the backup files it wrote and
/// their hashes) are not masked: <see cref="Redact"/> registers them with the masker as data so no sink masks them either.
/// </summary>
public static class ReportRedactor
{
    /// <summary>The report's values that orchprep produced as data (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).</summary>
    public static IEnumerable<string> DataValues(Report report)
    {
        yield return report.Tool.Name;
        yield return report.Tool.Version;
        yield return WireNames.Of(report.Mode);
        yield return WireNames.Of(report.Outcome);
        foreach (var file in report.Backup?.Files ?? [])
        {
            yield return file.Path;
            yield return file.Sha256;
        }
    }

    public static Report Redact(Report report, SecretMasker masker)
    {
        foreach (var value in DataValues(report))
        {
            masker.AddData(value);
        }

        string M(string value) => masker.Mask(value);
        string? N(string? value) => value is null ? null : masker.Mask(value);

        return report with
        {
            Environment = M(report.Environment),
            Target = M(report.Target),
            TargetLevel = N(report.TargetLevel),
            Checks = report.Checks.Select(c => c with
            {
                Id = M(c.Id),
                Host = M(c.Host),
                Title = M(c.Title),
                Detail = M(c.Detail),
                Evidence = c.Evidence.Select(e => new Evidence(M(e.Source), M(e.Value))).ToArray(),
                Remediation = N(c.Remediation),
                HelpUri = M(c.HelpUri),
            }).ToArray(),
            // Kind, outcome and backup.verified are enums, not text a secret can reach; the sinks still mask their wire names.
            Actions = report.Actions.Select(a => a with { Target = M(a.Target), Detail = M(a.Detail) }).ToArray(),
            Backup = report.Backup is null ? null : report.Backup with
            {
                FirstLsn = N(report.Backup.FirstLsn),
                LastLsn = N(report.Backup.LastLsn),
                RestoredOn = N(report.Backup.RestoredOn),
            },
            Notes = report.Notes.Select(M).ToArray(),
        };
    }
}
