using System.Globalization;
using System.Text.RegularExpressions;

namespace OrchUpgradePrep.Config;

/// <summary>Durations as the design writes them: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>0s</c> (also <c>1h30m</c>).</summary>
public static partial class Duration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            if (!long.TryParse(part.Value.AsSpan(0, part.Value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            {
                return false;
            }

            total += unit switch
            {
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        value = total;
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration; write it like 90s, 30m, 2h or 0s.");

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value.TotalSeconds % 3600 == 0)
        {
            return $"{(long)value.TotalHours}h";
        }

        return value.TotalSeconds % 60 == 0 ? $"{(long)value.TotalMinutes}m" : $"{(long)value.TotalSeconds}s";
    }

    [GeneratedRegex(@"^(?<part>\d+[hms])+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
