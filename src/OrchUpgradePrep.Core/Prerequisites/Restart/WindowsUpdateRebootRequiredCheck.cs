namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #4: Windows Update's <c>Auto Update\RebootRequired</c> key exists (a key, not a value).</summary>
public sealed class WindowsUpdateRebootRequiredCheck() : RestartKeyCheck(
    "restart.wu-reboot-required",
    "Windows Update does not require a restart",
    blocking: true,
    "Windows Update installed updates that need a restart",
    RestartKeys.AutoUpdate + @"\RebootRequired")
{
    protected override string HowToSee =>
        "Settings > Windows Update > Update history, or `Get-HotFix | Sort-Object InstalledOn -Descending`; the key's values name the update IDs.";
}
