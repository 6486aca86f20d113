namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #3: Component Based Servicing's <c>PackagesPending</c> key exists.</summary>
public sealed class CbsPackagesPendingCheck() : RestartKeyCheck(
    "restart.cbs-packages-pending",
    "Component Based Servicing has no packages pending",
    blocking: true,
    "Component Based Servicing has packages that finish only after a restart",
    RestartKeys.ComponentBasedServicing + @"\PackagesPending")
{
    protected override string HowToSee =>
        "`Get-WindowsPackage -Online | Where-Object PackageState -like '*Pending*'`; the key's subkeys name the packages.";
}
