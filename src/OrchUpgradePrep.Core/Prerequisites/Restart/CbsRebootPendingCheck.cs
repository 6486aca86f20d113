namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #1, the strongest: Component Based Servicing's <c>RebootPending</c> key exists.</summary>
public sealed class CbsRebootPendingCheck() : RestartKeyCheck(
    "restart.cbs-reboot-pending",
    "Component Based Servicing has no restart pending",
    blocking: true,
    "Component Based Servicing waits for a restart (a Windows update, feature or servicing operation)",
    RestartKeys.ComponentBasedServicing + @"\RebootPending")
{
    protected override string HowToSee =>
        "`Get-WindowsPackage -Online | Where-Object PackageState -like '*Pending*'` and %windir%\\Logs\\CBS\\CBS.log. Delete the key only if a restart did not clear it.";
}
