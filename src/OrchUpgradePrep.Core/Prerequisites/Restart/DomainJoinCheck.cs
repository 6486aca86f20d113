namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #10: a domain join (or rename in the domain) waits for a restart: Netlogon's <c>JoinDomain</c>
/// or <c>AvoidSpnSet</c> key exists.</summary>
public sealed class DomainJoinCheck() : RestartKeyCheck(
    "restart.domain-join",
    "No domain join waits for a restart",
    blocking: true,
    "A domain join or domain rename waits for a restart",
    RestartKeys.Netlogon + @"\JoinDomain",
    RestartKeys.Netlogon + @"\AvoidSpnSet")
{
    protected override string HowToSee => "%windir%\\debug\\NetSetup.log (who joined which domain, and when).";
}
