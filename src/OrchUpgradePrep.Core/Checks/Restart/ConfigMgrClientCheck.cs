using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Checks.Restart;

/// <summary>
/// Signal #15: the Configuration Manager client's own restart state. The reliable read is the CIM method
/// <c>CCM_ClientUtilities.DetermineIfRebootPending()</c>, which <see cref="IHostFacts"/> cannot call. So: no client
/// (<c>SOFTWARE\Microsoft\CCM</c> absent) = not applicable (skipped); a client = warning "not evaluated", never met.
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
        return key.Presence switch
        {
            RegistryKeyPresence.Unknown => NotExported(key, [evidence]),
            RegistryKeyPresence.Absent => CheckOutcome.Skipped("no Configuration Manager client: not applicable", evidence),
            _ => Warning(
                "Configuration Manager client present; DetermineIfRebootPending needs CIM (remote adapter) — not evaluated from the registry.",
                [evidence]),
        };
    }
}
