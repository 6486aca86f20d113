using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// From 2022 on, Orchestrator's servers reach the database through the Microsoft OLE DB Driver for SQL Server, which
/// must be installed before Setup runs: 18.x or later for 2022, version 19 for 2025 (which also encrypts the
/// connection by default). Read from the Uninstall entries of both registry views, where the driver's installer
/// registers "Microsoft OLE DB Driver for SQL Server" (18) or "Microsoft OLE DB Driver 19 for SQL Server".
/// </summary>
public sealed class OleDbDriverCheck : ICheck
{
    public const string DownloadPage = "https://learn.microsoft.com/sql/connect/oledb/download-oledb-driver-for-sql-server";

    public string Id => "requirements.oledb-driver";
    public string Title => "Microsoft OLE DB Driver for SQL Server meets the target's version";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    // Every Orchestrator host, Runbook Designer machines included: Setup runs on each of them, and a driver or runtime
    // is read from the Uninstall entries and the registry the same way on a client OS.
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var level = context.TargetLevel;
        if (table.OleDbDriverMinimumMajor is not { } minimum)
        {
            return CheckOutcome.Skipped($"Orchestrator {table.Name} does not use the Microsoft OLE DB Driver for SQL Server (2022 and later do).");
        }

        var entries = await UninstallEntries.ReadAsync(context.Facts.Registry, IsOleDbDriver, cancellationToken).ConfigureAwait(false);
        var drivers = entries.Matching.Select(e => (Entry: e, Major: MajorOf(e))).ToArray();
        var evidence = entries.Sources
            .Concat(drivers.Select(d => new Evidence(d.Entry.Key, $"DisplayName \"{d.Entry.DisplayName}\", DisplayVersion {(d.Entry.DisplayVersion is { } v ? $"\"{v}\"" : "(none)")}")))
            .ToArray();
        var needed = minimum == 18 ? "18.x or later" : string.Create(CultureInfo.InvariantCulture, $"version {minimum}");
        var remediation = $"Install the Microsoft OLE DB Driver {(minimum == 18 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{minimum} "))}for SQL Server (x64) on this host before the upgrade ({DownloadPage}); older major versions may stay installed beside it. Source: {table.Cite}.";

        if (drivers.Where(d => d.Major >= minimum).Select(d => d.Entry).FirstOrDefault() is { } good)
        {
            return CheckOutcome.Met($"{good.DisplayName} {good.DisplayVersion} is installed; Orchestrator {level.Name} needs {needed}.", evidence);
        }

        if (entries.UnknownViews.Count > 0)
        {
            return CheckOutcome.Error(
                $"Whether the OLE DB Driver is installed is unknown: the source does not hold {string.Join(" or ", entries.UnknownViews)}. Export both Uninstall views (docs/snapshots.md).",
                evidence);
        }

        if (drivers.Length > 0)
        {
            var found = string.Join(", ", drivers.Select(d => $"{d.Entry.DisplayName} {d.Entry.DisplayVersion ?? "(no version)"}"));
            return CheckOutcome.Unmet($"Only {found} is installed; Orchestrator {level.Name} needs the OLE DB Driver {needed}.", remediation, evidence);
        }

        return CheckOutcome.Unmet($"No Microsoft OLE DB Driver for SQL Server is installed; Orchestrator {level.Name} needs {needed} on every management, runbook and web server.", remediation, evidence);
    }

    /// <summary>"Microsoft OLE DB Driver for SQL Server" (18.x) and "Microsoft OLE DB Driver 19 for SQL Server"; not the
    /// deprecated SQL Server Native Client or the Windows "SQL Server" provider.</summary>
    private static bool IsOleDbDriver(string displayName) =>
        displayName.StartsWith("Microsoft OLE DB Driver", StringComparison.OrdinalIgnoreCase)
        && displayName.Contains("for SQL Server", StringComparison.OrdinalIgnoreCase);

    /// <summary>The DisplayVersion's major (18.7.4.0 → 18); without one, the number in the name (19); the 18.x name carries none.</summary>
    private static int? MajorOf(UninstallEntry entry)
    {
        if (entry.Version is { } version)
        {
            return version.Major;
        }

        var words = entry.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null).FirstOrDefault(n => n is not null);
    }
}
