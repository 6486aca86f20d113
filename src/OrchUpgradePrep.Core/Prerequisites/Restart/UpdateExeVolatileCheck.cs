using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #13: <c>SOFTWARE\Microsoft\Updates</c> value <c>UpdateExeVolatile</c> ≠ 0 (KB832475), in both
/// registry views. Low value on current Windows: warning.</summary>
public sealed class UpdateExeVolatileCheck() : RestartValueCheck(
    "restart.update-exe-volatile",
    "No legacy update installer waits for a restart (UpdateExeVolatile)",
    blocking: false,
    "UpdateExeVolatile",
    RestartKeys.Updates,
    RestartKeys.Updates32)
{
    protected override string Meaning => "A legacy update installer (update.exe) set UpdateExeVolatile and waits for a restart";

    protected override string ExpectedType => "REG_DWORD";

    protected override string HowToSee => "the installers that ran recently (Programs and Features, %windir%\\Logs); the flag is old (KB832475) and rarely set today.";

    protected override ValueReading Read(RegistryValue value) => NonZeroDword(value);
}
