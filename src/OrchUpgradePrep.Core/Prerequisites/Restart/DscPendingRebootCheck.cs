using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// Signal #16: the DSC Local Configuration Manager waits for a restart to finish a configuration
/// (<c>MSFT_DSCLocalConfigurationManager.GetMetaConfiguration()</c> LCMState = PendingReboot; live WMI, remote CIM,
/// snapshot host.json). A host without DSC (namespace missing) is not applicable, never "failed"
/// (docs/facts/host-facts.md#dsc).
/// </summary>
public sealed class DscPendingRebootCheck() : RestartCheck("restart.dsc-pending-reboot", "DSC's Local Configuration Manager waits for no restart", blocking: true)
{
    public const string PendingReboot = "PendingReboot";

    protected override string HowToSee =>
        "on the host, `Get-DscLocalConfigurationManager` (LCMState) and `Get-DscConfigurationStatus` (which configuration asked for the restart).";

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        DscLcmState? state;
        try
        {
            state = await context.Facts.GetDscLcmStateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return CheckOutcome.Error($"The DSC Local Configuration Manager's state is unknown: {ex.Message}", new Evidence($"{context.Facts.SourceDescription}: MSFT_DSCLocalConfigurationManager", "unknown"));
        }

        if (state is null)
        {
            return CheckOutcome.Skipped("no DSC on the host (root\\Microsoft\\Windows\\DesiredStateConfiguration does not exist): not applicable",
                new Evidence($"{context.Facts.SourceDescription}: MSFT_DSCLocalConfigurationManager", "namespace absent"));
        }

        var evidence = new Evidence(state.Source, $"LCMState {state.LcmState}");
        return string.Equals(state.LcmState, PendingReboot, StringComparison.OrdinalIgnoreCase)
            ? Pending("The DSC Local Configuration Manager waits for a restart to finish a configuration (LCMState PendingReboot).", [evidence])
            : CheckOutcome.Met($"The DSC Local Configuration Manager waits for no restart (LCMState {state.LcmState}).", evidence);
    }
}
