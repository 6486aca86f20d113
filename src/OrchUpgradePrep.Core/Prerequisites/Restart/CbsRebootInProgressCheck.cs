namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #2: Component Based Servicing's <c>RebootInProgress</c> key exists.</summary>
public sealed class CbsRebootInProgressCheck() : RestartKeyCheck(
    "restart.cbs-reboot-in-progress",
    "Component Based Servicing has no restart in progress",
    blocking: true,
    "Component Based Servicing has a restart in progress",
    RestartKeys.ComponentBasedServicing + @"\RebootInProgress")
{
    protected override string HowToSee => "%windir%\\Logs\\CBS\\CBS.log around the time the key was written.";
}
