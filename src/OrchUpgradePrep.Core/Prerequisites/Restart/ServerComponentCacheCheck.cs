using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #12: <c>ServerComponentCache</c> value <c>RestartRequired</c> is truthy. Type and meaning
/// unconfirmed: warning; DWORD, QWORD or a string are read, anything else is an error.</summary>
public sealed class ServerComponentCacheCheck() : RestartValueCheck(
    "restart.server-component-cache",
    "Server Manager's component cache needs no restart (unconfirmed signal)",
    blocking: false,
    "RestartRequired",
    RestartKeys.ServerComponentCache)
{
    protected override string Meaning => "Server Manager's ServerComponentCache says RestartRequired (its meaning is unconfirmed)";

    protected override string ExpectedType => "REG_DWORD, REG_QWORD or REG_SZ";

    protected override string HowToSee => "`Get-WindowsFeature | Where-Object InstallState -eq InstallPending`.";

    protected override ValueReading Read(RegistryValue value)
    {
        bool? truthy = value.Data switch
        {
            uint n => n != 0,
            ulong n => n != 0,
            string s when value.Type == RegistryValueType.String => s.Trim() is { Length: > 0 } t && t != "0" && !string.Equals(t, "false", StringComparison.OrdinalIgnoreCase),
            _ => null,
        };
        return truthy switch
        {
            null => ValueReading.Of(RestartReading.WrongType, string.Empty),
            true => ValueReading.Of(RestartReading.Pending, $"RestartRequired = {Convert.ToString(value.Data, CultureInfo.InvariantCulture)}"),
            false => ValueReading.Of(RestartReading.NotPending, "RestartRequired is false"),
        };
    }
}
