using System.Text;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Drops control characters (C0, DEL, C1) except tab and line breaks from text meant for people: an ESC in
/// a detail would otherwise inject ANSI sequences into a "plain" CI log.
/// </summary>
public static class ControlCharacters
{
    public static string Strip(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (!value.Any(IsDropped))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!IsDropped(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsDropped(char c) => char.IsControl(c) && c is not ('\t' or '\r' or '\n');
}
