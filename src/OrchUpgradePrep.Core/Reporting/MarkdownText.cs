using System.Text;

namespace OrchUpgradePrep.Reporting;

/// <summary>Makes a dynamic value inert in Markdown, so a detail cannot break a table or inject formatting.</summary>
internal static class MarkdownText
{
    /// <summary>
    /// Escapes a value for a table cell or list item: <c>\ ` * _ [ ] |</c> with a backslash, <c>&amp; &lt; &gt;</c>
    /// as entities (HTML in a value must not render), and line breaks as <c>&lt;br&gt;</c>.
    /// </summary>
    public static string Escape(string? value)
    {
        value = ControlCharacters.Strip(value);
        var builder = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\r':
                    // CRLF is one break.
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    builder.Append("<br>");
                    break;
                case '\n':
                    builder.Append("<br>");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A code span for identifiers we own (check ids); falls back to escaped text if the value could break it.</summary>
    public static string Code(string value) =>
        value.Length > 0 && value.IndexOfAny(['`', '|', '\r', '\n']) < 0 ? $"`{value}`" : Escape(value);
}
