using System.Text;

namespace OrchUpgradePrep.Pipelines.GitHubActions;

/// <summary>
/// Escaping for <c>::command prop=value::message</c> workflow commands (docs/facts/pipeline-protocols.md#github-workflow-commands):
/// message <c>%</c> (first), CR, LF; properties additionally <c>:</c> and <c>,</c>.
/// </summary>
internal static class WorkflowCommandEscaper
{
    public static string Property(string? value) => Escape(value, property: true);

    public static string Message(string? value) => Escape(value, property: false);

    private static string Escape(string? value, bool property)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '%' => "%25",
                '\r' => "%0D",
                '\n' => "%0A",
                ':' when property => "%3A",
                ',' when property => "%2C",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
