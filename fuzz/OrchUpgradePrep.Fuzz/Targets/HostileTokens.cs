namespace OrchUpgradePrep.Fuzz;

/// <summary>Fragments that tend to break parsers (syntax of every format fuzzed here, extreme numbers, control and
/// surrogate characters); the mutation loop and the property tests insert them.</summary>
internal static class HostileTokens
{
    public static IReadOnlyList<string> All { get; } =
    [
        "\0", "\r", "\n", "\r\n", "\t", "\u00a0", "\u2028", "\ufeff", "\ud800", "\udfff", "\U0001F600", "\\", "\"", "'", "`",
        "[", "]", "{", "}", "(", ")", "<", ">", "&", ";", ":", ",", "=", "@", "#", "%", "*", "!", "-", "--- ", "...",
        "&a ", "*a", "<<: *a", "!!str", "!!binary", "? ", "- - - - - - - -", "[[[[[[[[[[[[[[[[", "{{{{{{{{{{{{",
        "99999999999999999999999999", "-1", "0x7fffffff", "4294967296", "1e308", "NaN", "true", "null", "~",
        "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "&#0;", "&#x110000;", "<![CDATA[", "]]>", "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
        "xmlns:m=\"x\"", "m:null=\"true\"", "m:type=\"Edm.Guid\"", "Edm.DateTime",
        "dword:", "hex:", "hex(7):", "hex(b):", "hex(ffffffff):", ",\\\r\n  ", "[-HKLM\\X]", "@=", "\"=",
        "\\u0000", "\\ud800", "\"\\uDFFF\"", "sha256=", "Basic ", "Basic Og==", "PlanUrl: ", "http://[::1]", "http://a%00b/",
    ];
}
