using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// The web service and the database name the same active jobs. A warning, not unmet: the runbooks verdict already
/// takes the union, so a disagreement cannot hide a job — but the admin should know one view is stale or down.
/// </summary>
public sealed class SourcesAgreeCheck : RunbookSnapshotCheck
{
    public override string Id => "runbooks.sources-agree";
    public override string Title => "Web service and database agree on active jobs";

    protected override CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context)
    {
        if (snapshot.Web is null || snapshot.Database is null)
        {
            return CheckOutcome.Skipped($"only one source is configured ({snapshot.Sources.Single().Name}); nothing to cross-check.");
        }

        if (!snapshot.Web.Succeeded || !snapshot.Database.Succeeded)
        {
            var down = snapshot.Web.Succeeded ? snapshot.Database : snapshot.Web;
            var used = snapshot.Web.Succeeded ? snapshot.Web : snapshot.Database;
            return CheckOutcome.Warning(
                $"The {down.Name} could not be read, so the runbooks checks used the {used.Name} alone: {down.Error}",
                down == snapshot.Web
                    ? "Check the Orchestrator web service (IIS site, app pool, URL and credentials in webService:). The database path gives the same verdict, without runbook paths."
                    : "Check the sql: settings and the login's access to the Orchestrator database.",
                new Evidence(down.Name, $"{down.Description}: {down.Error}"),
                new Evidence(used.Name, $"{used.Description}: {used.Jobs!.Count} active job(s)"));
        }

        var web = snapshot.Web.Jobs!.ToDictionary(j => j.Id);
        var database = snapshot.Database.Jobs!.ToDictionary(j => j.Id);
        var onlyWeb = web.Values.Where(j => !database.ContainsKey(j.Id)).ToList();
        var onlyDatabase = database.Values.Where(j => !web.ContainsKey(j.Id)).ToList();
        var statusDiffers = web.Values.Where(j => database.TryGetValue(j.Id, out var d) && d.Status != j.Status).ToList();
        if (onlyWeb.Count == 0 && onlyDatabase.Count == 0 && statusDiffers.Count == 0)
        {
            return CheckOutcome.Met(
                $"Both name the same {web.Count} active job(s).",
                new Evidence("web service", snapshot.Web.Description),
                new Evidence("database", snapshot.Database.Description));
        }

        var evidence = onlyWeb.Select(j => new Evidence($"web service only: job {j.Id}", JobDescriptions.Describe(j)))
            .Concat(onlyDatabase.Select(j => new Evidence($"database only: job {j.Id}", JobDescriptions.Describe(j))))
            .Concat(statusDiffers.Select(j => new Evidence($"status differs: job {j.Id}", $"web service {j.Status}, database {database[j.Id].Status}")))
            .ToArray();
        return CheckOutcome.Warning(
            $"The web service and the database disagree on {evidence.Length} job(s); the runbooks checks counted every job either one named.",
            "A job that finished between the two reads explains one difference; a lasting one means a stale web service (recycle its app pool) or orphaned database rows (runbooks.orphans).",
            evidence);
    }
}
