using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Masks every text of a report before it is rendered. Sinks mask too (<see cref="MaskingTextWriter"/>), but a
/// reporter's own escaping (Markdown <c>\|</c>, XML entities) can turn a secret into a form the masker does not know.
/// </summary>
public static class ReportRedactor
{
    public static Report Redact(Report report, SecretMasker masker)
    {
        string M(string value) => masker.Mask(value);
        string? N(string? value) => value is null ? null : masker.Mask(value);

        return report with
        {
            Tool = new ToolInfo(M(report.Tool.Name), M(report.Tool.Version)),
            Environment = M(report.Environment),
            Target = M(report.Target),
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
            Actions = report.Actions.Select(a => new ActionRecord(M(a.Kind), M(a.Target), M(a.Outcome), M(a.Detail))).ToArray(),
            Backup = report.Backup is null ? null : report.Backup with
            {
                Files = report.Backup.Files.Select(f => f with { Path = M(f.Path), Sha256 = M(f.Sha256) }).ToArray(),
                Verified = M(report.Backup.Verified),
                FirstLsn = N(report.Backup.FirstLsn),
                LastLsn = N(report.Backup.LastLsn),
            },
            Notes = report.Notes.Select(M).ToArray(),
        };
    }
}
