using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>Typed reads of one key of a <see cref="YamlSection"/>; each returns null when absent or invalid (and reports why).</summary>
internal static partial class YamlSectionValues
{
    public static bool? Bool(this YamlSection section, string key)
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        // Only plain true/false: a quoted "false" is a string to YAML 1.2 and to the JSON schema.
        if (IsPlain(section, key))
        {
            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        section.Context.Error(section.Get(key)!, $"'{section.PathOf(key)}' must be true or false, not '{text}'.");
        return null;
    }

    public static int? Int(this YamlSection section, string key, int min, int max)
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        if (IsPlain(section, key)
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        section.Context.Error(section.Get(key)!, $"'{section.PathOf(key)}' must be a whole number from {min} to {max}, not '{text}'.");
        return null;
    }

    public static TEnum? Enum<TEnum>(this YamlSection section, string key)
        where TEnum : struct, System.Enum
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        return ParseEnum<TEnum>(section.Context, section.Get(key)!, section.PathOf(key), text);
    }

    /// <summary>Exactly the wire spelling (lower-case kebab), the same set the JSON schema lists.</summary>
    public static TEnum? ParseEnum<TEnum>(ConfigReadContext context, YamlNode at, string path, string text)
        where TEnum : struct, System.Enum
    {
        var allowed = WireNames.All<TEnum>();
        if (allowed.Contains(text, StringComparer.Ordinal) && WireNames.TryParse<TEnum>(text, out var value))
        {
            return value;
        }

        context.Error(at, $"'{path}' has the value '{text}', which is not one of: {string.Join(", ", allowed)}.{Hint(text, allowed)}");
        return null;
    }

    /// <summary>The target version and, when named, its update rollup ("2022 UR3"). Spelled exactly as the schema lists it.</summary>
    public static (TargetVersion? Version, int? Rollup) Target(this YamlSection section, string key)
    {
        if (section.Text(key) is not { } text)
        {
            return (null, null);
        }

        // `target: 2022` unquoted is a number in YAML; accept it like "2022", but spelled exactly.
        if (TargetLevels.ConfigSpellings.Contains(text, StringComparer.Ordinal) && TargetLevels.TryParse(text, out var version, out var rollup))
        {
            return (version, rollup);
        }

        section.Context.Error(section.Get(key)!, $"'{section.PathOf(key)}' has the value '{text}', which is not a target version: {string.Join(", ", TargetVersionNames.All)}. Accepted: {TargetLevels.AcceptedForms}.");
        return (null, null);
    }

    public static TimeSpan? Duration(this YamlSection section, string key)
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        if (Config.Duration.TryParse(text, out var value))
        {
            return value;
        }

        section.Context.Error(section.Get(key)!, $"'{section.PathOf(key)}' is '{text}', which is not a duration; write it like 90s, 30m, 2h or 0s.");
        return null;
    }

    public static Uri? Url(this YamlSection section, string key)
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        var node = section.Get(key)!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            section.Context.Error(node, $"'{section.PathOf(key)}' must be an absolute http:// or https:// URL, not '{text}'.");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            // The URL would carry a credential; do not echo it.
            section.Context.Error(node, $"'{section.PathOf(key)}' must not contain a user name or password; give them with 'userEnv' and 'passwordEnv'.");
            return null;
        }

        return url;
    }

    /// <summary>The name of an environment variable. The value is never echoed: people paste the secret itself here.</summary>
    public static string? EnvironmentVariableName(this YamlSection section, string key)
    {
        if (section.Text(key) is not { } text)
        {
            return null;
        }

        if (EnvironmentVariablePattern().IsMatch(text))
        {
            return text;
        }

        section.Context.Error(section.Get(key)!, $"'{section.PathOf(key)}' must be the NAME of an environment variable (letters, digits and '_', not starting with a digit), such as ORCHPREP_SQL_PASSWORD; the secret itself goes into that variable, never into this file. The value is not shown here.");
        return null;
    }

    /// <summary>A name such as an environment or host name: a letter or digit, then letters, digits, '_', '.', '-'.</summary>
    public static bool IsName(string text) => NamePattern().IsMatch(text);

    private static bool IsPlain(YamlSection section, string key) =>
        section.Get(key) is YamlScalarNode { Style: ScalarStyle.Plain };

    private static string Hint(string text, IEnumerable<string> allowed) =>
        KeySuggestion.Closest(text, allowed) is { } suggestion ? $" Did you mean '{suggestion}'?" : "";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariablePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
