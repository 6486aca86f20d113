using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// Signal #15: the Configuration Manager client's own restart state, <c>CCM_ClientUtilities.DetermineIfRebootPending()</c>
/// (live: WMI; remote: CIM; snapshot: what the export script recorded). No client — <c>SOFTWARE\Microsoft\CCM</c>
/// absent, or the root\ccm\ClientSDK namespace missing — is not applicable (skipped), never "failed" (docs/facts/restart-signals.md#ccm).
/// </summary>
public sealed class ConfigMgrClientCheck() : RestartCheck("restart.configmgr-client", "The Configuration Manager client has no restart pending", blocking: true)
{
    protected override string HowToSee =>
        "on the host, `Invoke-CimMethod -Namespace root\\ccm\\ClientSDK -ClassName CCM_ClientUtilities -MethodName DetermineIfRebootPending` " +
        "(RebootPending or IsHardRebootPending true = pending), or Software Center's restart notice.";

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var key = (await ReadKeysAsync(context, [RestartKeys.ConfigMgrClient], cancellationToken).ConfigureAwait(false))[0];
        var evidence = KeyEvidence(key);
        switch (key.Presence)
        {
            case RegistryKeyPresence.Unknown:
                return NotExported(key, [evidence]);
            case RegistryKeyPresence.Absent:
                return CheckOutcome.Skipped("no Configuration Manager client: not applicable", evidence);
        }

        var state = await context.Facts.GetConfigMgrRebootStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return CheckOutcome.Skipped("the CCM key exists but the client's root\\ccm\\ClientSDK namespace does not (client removed or broken): not applicable", evidence);
        }

        var answer = new Evidence(state.Source, $"ReturnValue {state.ReturnValue}, RebootPending {state.RebootPending}, IsHardRebootPending {state.IsHardRebootPending}");
        if (state.ReturnValue != 0)
        {
            return CheckOutcome.Error($"DetermineIfRebootPending failed with ReturnValue {state.ReturnValue}, so the client's restart state is unknown.", evidence, answer);
        }

        return state.RebootPending || state.IsHardRebootPending
            ? Pending($"The Configuration Manager client has a {(state.IsHardRebootPending ? "hard " : string.Empty)}restart pending.", [evidence, answer])
            : CheckOutcome.Met("The Configuration Manager client has no restart pending.", evidence, answer);
    }
}
