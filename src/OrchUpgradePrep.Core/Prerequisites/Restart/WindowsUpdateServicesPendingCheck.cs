using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #6: Windows Update's <c>Services\Pending</c> key has subkeys. Meaning unconfirmed: warning.</summary>
public sealed class WindowsUpdateServicesPendingCheck() : RestartKeyCheck(
    "restart.wu-services-pending",
    "Windows Update has no pending service registrations (unconfirmed signal)",
    blocking: false,
    "Windows Update's Services\\Pending key has subkeys (its meaning is unconfirmed)",
    RestartKeys.WindowsUpdate + @"\Services\Pending")
{
    protected override string HowToSee => "the subkey names (update service IDs) in the evidence, and `Get-WindowsUpdateLog`.";

    protected override bool IsPending(RegistryKeyRead key) => key.SubKeyNames.Count > 0;

    protected override Evidence Describe(RegistryKeyRead key) =>
        key.Presence == RegistryKeyPresence.Present
            ? new Evidence(key.Location(), key.SubKeyNames.Count == 0 ? "key present, no subkeys" : $"key present, subkeys: {string.Join(", ", key.SubKeyNames)}")
            : KeyEvidence(key);
}
