using System.Text;
using System.Xml;

namespace OrchUpgradePrep.Reporting;

/// <summary>Removes characters XML 1.0 cannot carry at all (e.g. U+0001), which XmlWriter would otherwise reject.</summary>
internal static class XmlText
{
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], c))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
