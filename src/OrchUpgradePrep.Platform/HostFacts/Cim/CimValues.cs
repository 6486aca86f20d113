using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>Typed reads off a CIM row; a missing or mistyped value is a <see cref="HostFactsException"/> naming host, class and property.</summary>
internal static class CimValues
{
    public static string? OptionalString(IReadOnlyDictionary<string, object?> row, string property) =>
        row.TryGetValue(property, out var value) && value is string s && s.Length > 0 ? s : null;

    public static string RequiredString(IReadOnlyDictionary<string, object?> row, string host, string className, string property) =>
        OptionalString(row, property) ?? throw Missing(host, className, property);

    public static long? OptionalInt64(IReadOnlyDictionary<string, object?> row, string host, string className, string property)
    {
        if (!row.TryGetValue(property, out var value) || value is null)
        {
            return null;
        }

        try
        {
            return value switch
            {
                string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
                IConvertible => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException(),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new HostFactsException($"{host}: CIM {className}.{property} is not a number: {value}", ex);
        }
    }

    public static long RequiredInt64(IReadOnlyDictionary<string, object?> row, string host, string className, string property) =>
        OptionalInt64(row, host, className, property) ?? throw Missing(host, className, property);

    public static int RequiredInt32(IReadOnlyDictionary<string, object?> row, string host, string className, string property)
    {
        var value = RequiredInt64(row, host, className, property);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new HostFactsException($"{host}: CIM {className}.{property} is out of range: {value}");
    }

    public static IReadOnlyDictionary<string, object?>? OptionalRow(IReadOnlyDictionary<string, object?> row, string property) =>
        row.TryGetValue(property, out var value) ? value as IReadOnlyDictionary<string, object?> : null;

    /// <summary>Quotes a string for a WQL literal: backslash and quote escaped.</summary>
    public static string WqlString(string value) =>
        "'" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal) + "'";

    private static HostFactsException Missing(string host, string className, string property) =>
        new($"{host}: CIM {className}.{property} is empty");
}
