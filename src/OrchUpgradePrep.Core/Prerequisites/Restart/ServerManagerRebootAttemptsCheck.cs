using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #11: Server Manager's <c>CurrentRebootAttempts</c> DWORD &gt; 0: a role or feature install waits for a restart.</summary>
public sealed class ServerManagerRebootAttemptsCheck() : RestartValueCheck(
    "restart.server-manager-reboot-attempts",
    "No role or feature installation waits for a restart",
    blocking: true,
    "CurrentRebootAttempts",
    RestartKeys.ServerManager)
{
    protected override string Meaning => "A role or feature installation waits for a restart";

    protected override string ExpectedType => "REG_DWORD";

    protected override string HowToSee => "`Get-WindowsFeature | Where-Object InstallState -eq InstallPending`.";

    protected override ValueReading Read(RegistryValue value) => NonZeroDword(value);
}
