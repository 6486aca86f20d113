using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #14: a <c>DVDRebootSignal</c> value under <c>RunOnce</c>. Meaning unconfirmed: warning.</summary>
public sealed class DvdRebootSignalCheck() : RestartValueCheck(
    "restart.dvd-reboot-signal",
    "No RunOnce DVDRebootSignal is set (unconfirmed signal)",
    blocking: false,
    "DVDRebootSignal",
    RestartKeys.RunOnce)
{
    protected override string Meaning => "RunOnce holds DVDRebootSignal (its meaning is unconfirmed)";

    protected override string ExpectedType => "any type";

    protected override string HowToSee => "the other RunOnce values: `Get-ItemProperty HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce`.";

    // Its existence is the signal, whatever it holds.
    protected override ValueReading Read(RegistryValue value) => ValueReading.Of(RestartReading.Pending, "DVDRebootSignal exists");
}
