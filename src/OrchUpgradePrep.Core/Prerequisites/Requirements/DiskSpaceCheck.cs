using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>Free space on the drive Orchestrator is installed on (from its uninstall entry; the system drive when
/// it is not installed or the entry has no InstallLocation) meets Setup's minimum.</summary>
public sealed class DiskSpaceCheck : ICheck
{
    public const string SystemDrive = "C:";

    public string Id => "requirements.disk";
    public string Title => "Free disk space on the install drive meets the minimum";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var installed = await InstalledOrchestrator.ReadAsync(context.Facts.Registry, cancellationToken).ConfigureAwait(false);
        var drive = DriveOf(installed.InstallLocation) ?? SystemDrive;
        var why = installed.InstallLocation is { } location && DriveOf(location) is not null
            ? $"Orchestrator is installed in {location}"
            : "the system drive (no Orchestrator install location found)";

        var volumes = await context.Facts.GetVolumesAsync(cancellationToken).ConfigureAwait(false);
        var volume = volumes.FirstOrDefault(v => string.Equals(v.Name.TrimEnd('\\'), drive, StringComparison.OrdinalIgnoreCase));
        var listed = new Evidence(context.Facts.SourceDescription, "volumes: " + (volumes.Count == 0 ? "(none)" : string.Join(", ", volumes.Select(v => $"{v.Name} {Bytes.Format(v.FreeBytes)} free of {Bytes.Format(v.SizeBytes)}"))));
        if (volume is null)
        {
            return CheckOutcome.Error($"Drive {drive} ({why}) is not among the host's volumes, so its free space is unknown.", listed);
        }

        var evidence = new Evidence(context.Facts.SourceDescription, $"{volume.Name} {Bytes.Format(volume.FreeBytes)} free of {Bytes.Format(volume.SizeBytes)} ({why})");
        if (volume.FreeBytes >= table.MinimumFreeDiskBytes && installed.State == InstallState.Unknown)
        {
            // Without the uninstall entries the install drive is unknown: a pass on the system drive proves too little.
            return CheckOutcome.Warning(
                $"{Bytes.Format(volume.FreeBytes)} free on {volume.Name}, but the install drive is unknown ({string.Join(", ", installed.UnknownKeys)} not exported).",
                "Export the Uninstall keys (docs/snapshots.md) so the install drive is known.",
                evidence);
        }

        if (volume.FreeBytes >= table.MinimumFreeDiskBytes)
        {
            return CheckOutcome.Met($"{Bytes.Format(volume.FreeBytes)} free on {volume.Name} ≥ the {Bytes.Format(table.MinimumFreeDiskBytes)} Setup needs.{table.UnconfirmedNote}", evidence);
        }

        return CheckOutcome.Unmet(
            $"Only {Bytes.Format(volume.FreeBytes)} free on {volume.Name}; Orchestrator {table.Name} Setup needs {Bytes.Format(table.MinimumFreeDiskBytes)}.",
            $"Free at least {Bytes.Format(table.MinimumFreeDiskBytes - volume.FreeBytes)} on {volume.Name} (old logs under C:\\ProgramData\\Microsoft System Center*\\Orchestrator, temp files) or extend the volume. Source: {table.Cite}.",
            evidence);
    }

    private static string? DriveOf(string? path) =>
        path is { Length: >= 2 } p && char.IsAsciiLetter(p[0]) && p[1] == ':' ? char.ToUpperInvariant(p[0]) + ":" : null;
}
