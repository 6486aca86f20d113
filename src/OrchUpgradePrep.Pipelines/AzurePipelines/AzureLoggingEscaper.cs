using System.Text;

namespace OrchUpgradePrep.Pipelines.AzurePipelines;

/// <summary>
/// Escaping for <c>##vso[...]</c> logging commands (docs/adr/0001-azure-logging-escaping.md):
/// properties escape <c>% ; CR LF ]</c>, the message <c>% CR LF</c> only, as azure-pipelines-task-lib does.
/// <c>%</c> goes first so the other escapes are not escaped again.
/// </summary>
internal static class AzureLoggingEscaper
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
                '%' => "%AZP25",
                '\r' => "%0D",
                '\n' => "%0A",
                ';' when property => "%3B",
                ']' when property => "%5D",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
