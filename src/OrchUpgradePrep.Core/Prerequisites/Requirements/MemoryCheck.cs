using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>Physical memory meets the target's minimum. Windows reports memory reserved by firmware as missing,
/// so a host just under the minimum is a warning, well under it unmet.</summary>
public sealed class MemoryCheck : ICheck
{
    /// <summary>TotalPhysicalMemory excludes hardware-reserved memory: a "2 GB" VM reports a little less.</summary>
    public const double ReservedMemoryTolerance = 0.9;

    public string Id => "requirements.memory";
    public string Title => "Physical memory meets the minimum";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var hardware = await context.Facts.GetHardwareAsync(cancellationToken).ConfigureAwait(false);
        var have = hardware.TotalPhysicalMemoryBytes;
        var need = table.MinimumMemoryBytes;
        var evidence = new Evidence(hardware.Source, $"total physical memory {Bytes.Format(have)} ({have} bytes)");
        if (have >= need)
        {
            return CheckOutcome.Met($"{Bytes.Format(have)} ≥ the {Bytes.Format(need)} minimum of Orchestrator {table.Name}.{table.UnconfirmedNote}", evidence);
        }

        var remediation = $"Give this host at least {Bytes.Format(need)} of memory (more for busy runbook servers). Source: {table.Cite}.";
        return have >= need * ReservedMemoryTolerance
            ? CheckOutcome.Warning($"{Bytes.Format(have)} is just under the {Bytes.Format(need)} minimum; Windows counts firmware-reserved memory as missing, so check the VM or server sizing.", remediation, evidence)
            : CheckOutcome.Unmet($"{Bytes.Format(have)} is below the {Bytes.Format(need)} minimum of Orchestrator {table.Name}.", remediation, evidence);
    }
}
