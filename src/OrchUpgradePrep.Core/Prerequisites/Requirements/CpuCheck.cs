using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>Enough cores (unmet below the minimum) at the documented clock (a warning only: VMs and power
/// management report clock speeds that say little about real speed).</summary>
public sealed class CpuCheck : ICheck
{
    public string Id => "requirements.cpu";
    public string Title => "CPU cores and clock meet the minimum";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var hardware = await context.Facts.GetHardwareAsync(cancellationToken).ConfigureAwait(false);
        var evidence = new Evidence(hardware.Source, $"{hardware.CpuCores} cores, {hardware.LogicalProcessors} logical processors, max clock {hardware.MaxClockSpeedMHz} MHz");
        var minimum = string.Create(CultureInfo.InvariantCulture, $"{table.MinimumCpuCores} cores at {table.MinimumClockMHz / 1000.0:0.0#} GHz");
        if (hardware.CpuCores < table.MinimumCpuCores)
        {
            return CheckOutcome.Unmet(
                $"{hardware.CpuCores} core(s); Orchestrator {table.Name} needs at least {minimum}.",
                $"Give this host at least {table.MinimumCpuCores} cores. Source: {table.Cite}.",
                evidence);
        }

        if (hardware.MaxClockSpeedMHz < table.MinimumClockMHz)
        {
            return CheckOutcome.Warning(
                $"{hardware.CpuCores} cores, but the reported clock {hardware.MaxClockSpeedMHz} MHz is below {table.MinimumClockMHz} MHz; virtual machines and power plans often under-report it.",
                $"Confirm the processor's real speed; the documented minimum is {minimum}. Source: {table.Cite}.",
                evidence);
        }

        return CheckOutcome.Met($"{hardware.CpuCores} cores at {hardware.MaxClockSpeedMHz} MHz meet the {minimum} minimum.{table.UnconfirmedNote}", evidence);
    }
}
