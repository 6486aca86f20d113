using System.Globalization;
using System.Management;
using System.Runtime.Versioning;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Reads typed properties off a WMI object; CIM integers arrive boxed as UInt32/UInt64, strings may be null.</summary>
[SupportedOSPlatform("windows")]
internal static class WmiValues
{
    public static string? OptionalString(ManagementBaseObject item, string property) =>
        item[property] is string s && s.Length > 0 ? s : null;

    public static string RequiredString(ManagementBaseObject item, string className, string property) =>
        OptionalString(item, property) ?? throw Missing(className, property);

    public static long RequiredInt64(ManagementBaseObject item, string className, string property)
    {
        var value = item[property] ?? throw Missing(className, property);
        try
        {
            return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new HostFactsException($"WMI {className}.{property} is not a number: {value}", ex);
        }
    }

    public static int RequiredInt32(ManagementBaseObject item, string className, string property)
    {
        var value = RequiredInt64(item, className, property);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new HostFactsException($"WMI {className}.{property} is out of range: {value}");
    }

    private static HostFactsException Missing(string className, string property) =>
        new($"WMI {className}.{property} is empty");
}
