namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #5: Windows Update's <c>Auto Update\PostRebootReporting</c> key exists. Meaning unconfirmed: warning.</summary>
public sealed class WindowsUpdatePostRebootReportingCheck() : RestartKeyCheck(
    "restart.wu-post-reboot-reporting",
    "Windows Update has no post-restart reporting pending (unconfirmed signal)",
    blocking: false,
    "Windows Update's PostRebootReporting key exists (its meaning is unconfirmed)",
    RestartKeys.AutoUpdate + @"\PostRebootReporting")
{
    protected override string HowToSee => "`Get-WindowsUpdateLog` (writes WindowsUpdate.log to the desktop).";
}
