using System.Globalization;
using System.Text;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>
/// Reads the files <c>reg export</c> writes (docs/facts/host-facts.md#reg-export): UTF-16LE with BOM (what Windows
/// writes) or UTF-8, header, <c>[key]</c> sections, <c>"name"=</c> / <c>@=</c> values as quoted strings,
/// <c>dword:</c>, <c>hex:</c> and <c>hex(N):</c> with <c>,\</c> continuations. Anything else — including
/// import-only syntax that an export never contains — is an error naming the file and line, because a
/// silently misread snapshot would let a check pass on facts nobody exported.
/// </summary>
public static class RegExportParser
{
    /// <summary>A whole HKLM\SOFTWARE export is hundreds of MB; snapshots export the few subtrees the checks read.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const string Version5Header = "Windows Registry Editor Version 5.00";
    private const string Version4Header = "REGEDIT4";

    private static readonly (string Short, string Long)[] Roots =
    [
        ("HKLM", "HKEY_LOCAL_MACHINE"),
        ("HKCU", "HKEY_CURRENT_USER"),
        ("HKCR", "HKEY_CLASSES_ROOT"),
        ("HKU", "HKEY_USERS"),
        ("HKCC", "HKEY_CURRENT_CONFIG"),
    ];

    public static RegExportFile Parse(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.LongLength > MaxFileBytes)
        {
            throw new RegExportFormatException(fileName, 1, $"file is {content.LongLength / (1024 * 1024)} MiB, over the {MaxFileBytes / (1024 * 1024)} MiB limit; export only the keys listed in docs/snapshots.md");
        }

        return Parse(Decode(content, fileName), fileName);
    }

    /// <summary>Parses already-decoded text (the first line must be the header).</summary>
    public static RegExportFile Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new LineCursor(text);
        if (!lines.Next(out var header) || header.Trim() is not (Version5Header or Version4Header))
        {
            throw new RegExportFormatException(fileName, 1, $"not a reg export file: the first line must be \"{Version5Header}\"");
        }

        var keys = new List<RegExportKey>();
        string? currentPath = null;
        var currentValues = new KeyValues();
        while (lines.Next(out var line))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var number = lines.LineNumber;
            if (line.StartsWith('['))
            {
                if (currentPath is not null)
                {
                    keys.Add(new RegExportKey(currentPath, currentValues.ToList()));
                }

                currentPath = ParseKeyLine(line, fileName, number);
                currentValues = new KeyValues();
            }
            else if (line.StartsWith(';'))
            {
                throw new RegExportFormatException(fileName, number, "comments do not occur in reg export output; was this file edited by hand?");
            }
            else if (currentPath is null)
            {
                throw new RegExportFormatException(fileName, number, "value line before the first [key] line");
            }
            else
            {
                currentValues.Set(ParseValue(line, lines, fileName, number));
            }
        }

        if (currentPath is not null)
        {
            keys.Add(new RegExportKey(currentPath, currentValues.ToList()));
        }

        return new RegExportFile(fileName, keys);
    }

    /// <summary>A key's values in file order; a name written again replaces the earlier value and moves to the end
    /// (what an import would leave). Indexed by name so a key with very many values stays linear to read.</summary>
    private sealed class KeyValues
    {
        private readonly List<RegistryValue?> _values = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

        public void Set(RegistryValue value)
        {
            if (_index.TryGetValue(value.Name, out var earlier))
            {
                _values[earlier] = null;
            }

            _index[value.Name] = _values.Count;
            _values.Add(value);
        }

        public List<RegistryValue> ToList() => _values.OfType<RegistryValue>().ToList();
    }

    private static string Decode(byte[] content, string fileName)
    {
        if (content.Length >= 2 && content[0] == 0xFF && content[1] == 0xFE)
        {
            return DecodeStrict(new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), content.AsSpan(2), fileName);
        }

        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
        {
            return DecodeStrict(new UTF8Encoding(false, throwOnInvalidBytes: true), content.AsSpan(3), fileName);
        }

        // UTF-16LE without a BOM (a copy that lost it): ASCII header letters then zero bytes.
        if (content.Length >= 4 && content[0] != 0 && content[1] == 0 && content[2] != 0 && content[3] == 0)
        {
            return DecodeStrict(new UnicodeEncoding(false, false, true), content, fileName);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            // REGEDIT4 files are ANSI; Latin-1 keeps every byte and the ASCII structure intact.
            var latin1 = Encoding.Latin1.GetString(content);
            if (latin1.StartsWith(Version4Header, StringComparison.Ordinal))
            {
                return latin1;
            }

            throw new RegExportFormatException(fileName, 1, "the file is neither UTF-16LE nor UTF-8; copy the file reg export wrote without converting it");
        }
    }

    private static string DecodeStrict(Encoding encoding, ReadOnlySpan<byte> bytes, string fileName)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new RegExportFormatException(fileName, 1, $"invalid {encoding.EncodingName} text at byte {ex.Index}: the file is damaged or was converted");
        }
    }

    private static string ParseKeyLine(string line, string fileName, int number)
    {
        var trimmed = line.TrimEnd();
        if (trimmed.StartsWith("[-", StringComparison.Ordinal))
        {
            throw new RegExportFormatException(fileName, number, "[-key] deletes a key on import and never occurs in reg export output");
        }

        var close = trimmed.LastIndexOf(']');
        if (close != trimmed.Length - 1 || trimmed.Length < 3)
        {
            throw new RegExportFormatException(fileName, number, "a key line must look like [HKEY_LOCAL_MACHINE\\path]");
        }

        var path = trimmed[1..close];
        var rootEnd = path.IndexOf('\\', StringComparison.Ordinal);
        var root = rootEnd < 0 ? path : path[..rootEnd];
        foreach (var (shortName, longName) in Roots)
        {
            if (string.Equals(root, longName, StringComparison.OrdinalIgnoreCase) || string.Equals(root, shortName, StringComparison.OrdinalIgnoreCase))
            {
                return rootEnd < 0 ? longName : longName + path[rootEnd..];
            }
        }

        throw new RegExportFormatException(fileName, number, $"'{root}' is not a registry root (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, …)");
    }

    private static RegistryValue ParseValue(string line, LineCursor lines, string fileName, int number)
    {
        int position;
        string name;
        if (line.StartsWith('@'))
        {
            name = string.Empty;
            position = 1;
        }
        else if (line.StartsWith('"'))
        {
            position = 1;
            name = ReadQuoted(line, ref position) ?? throw new RegExportFormatException(fileName, number, "the value name has no closing quote");
        }
        else
        {
            throw new RegExportFormatException(fileName, number, "expected a [key] line or a value line (\"Name\"=data or @=data)");
        }

        if (position >= line.Length || line[position] != '=')
        {
            throw new RegExportFormatException(fileName, number, $"expected '=' after the value name \"{name}\"");
        }

        var data = line[(position + 1)..];
        if (data.Trim() == "-")
        {
            throw new RegExportFormatException(fileName, number, $"\"{name}\"=- deletes a value on import and never occurs in reg export output");
        }

        if (data.StartsWith('"'))
        {
            return new RegistryValue(name, RegistryValueType.String, ReadStringData(data, lines, fileName, number));
        }

        if (data.StartsWith("dword:", StringComparison.OrdinalIgnoreCase))
        {
            var digits = data["dword:".Length..].Trim();
            if (digits.Length is 0 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var dword))
            {
                throw new RegExportFormatException(fileName, number, $"\"{name}\": dword data must be 8 hex digits, found '{digits}'");
            }

            return new RegistryValue(name, RegistryValueType.DWord, dword);
        }

        if (data.StartsWith("hex", StringComparison.OrdinalIgnoreCase))
        {
            return ParseHexValue(name, data, lines, fileName, number);
        }

        throw new RegExportFormatException(fileName, number, $"\"{name}\": unknown data '{Shorten(data)}' (expected \"text\", dword:, hex: or hex(N):)");
    }

    private static string ReadStringData(string data, LineCursor lines, string fileName, int number)
    {
        var text = new StringBuilder();
        var line = data;
        var position = 1;

        // A REG_SZ holding a line break is written with the break itself in it. Each line is scanned once (a
        // backslash never escapes a line break), so an unclosed quote costs one pass over the file, not one per line.
        while (!ReadQuoted(line, ref position, text))
        {
            if (!lines.Next(out line))
            {
                throw new RegExportFormatException(fileName, number, "string data has no closing quote");
            }

            text.Append("\r\n");
            position = 0;
        }

        if (line[position..].Trim().Length != 0)
        {
            throw new RegExportFormatException(fileName, lines.LineNumber, $"unexpected text after the closing quote: '{Shorten(line[position..])}'");
        }

        return text.ToString();
    }

    /// <summary>Reads a quoted string from just after its opening quote; <c>\\</c> and <c>\"</c> are the only escapes.</summary>
    private static string? ReadQuoted(string line, ref int position)
    {
        var text = new StringBuilder();
        return ReadQuoted(line, ref position, text) ? text.ToString() : null;
    }

    /// <summary>Appends the quoted text from <paramref name="position"/> on; true (position after the quote) when the closing quote was found.</summary>
    private static bool ReadQuoted(string line, ref int position, StringBuilder text)
    {
        for (var i = position; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '\\' or '"')
            {
                text.Append(line[i + 1]);
                i++;
            }
            else if (c == '"')
            {
                position = i + 1;
                return true;
            }
            else
            {
                text.Append(c);
            }
        }

        return false;
    }

    private static RegistryValue ParseHexValue(string name, string data, LineCursor lines, string fileName, int number)
    {
        var colon = data.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new RegExportFormatException(fileName, number, $"\"{name}\": hex data needs a ':'");
        }

        var kind = data[..colon];
        int type;
        if (string.Equals(kind, "hex", StringComparison.OrdinalIgnoreCase))
        {
            type = 3;
        }
        else if (kind.Length > 5 && kind[3] == '(' && kind[^1] == ')'
            && int.TryParse(kind[4..^1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed))
        {
            type = parsed;
        }
        else
        {
            throw new RegExportFormatException(fileName, number, $"\"{name}\": '{kind}' is not hex: or hex(N):");
        }

        var bytesText = new StringBuilder(data[(colon + 1)..].TrimEnd());
        while (bytesText.Length > 0 && bytesText[^1] == '\\')
        {
            bytesText.Length--;
            if (!lines.Next(out var continuation))
            {
                throw new RegExportFormatException(fileName, lines.LineNumber, $"\"{name}\": the file ends inside a continued hex value");
            }

            bytesText.Append(continuation.Trim());
        }

        var bytes = ParseBytes(bytesText.ToString(), name, fileName, number);
        return ToValue(name, type, bytes, fileName, number);
    }

    private static byte[] ParseBytes(string text, string name, string fileName, int number)
    {
        var parts = text.Split(',');
        var count = parts.Length;
        if (count > 0 && parts[^1].Trim().Length == 0)
        {
            count--;
        }

        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var part = parts[i].Trim();
            if (part.Length is 0 or > 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new RegExportFormatException(fileName, number, $"\"{name}\": '{Shorten(part)}' is not a hex byte (byte {i + 1})");
            }
        }

        return bytes;
    }

    private static RegistryValue ToValue(string name, int type, byte[] bytes, string fileName, int number) => type switch
    {
        0 => new RegistryValue(name, RegistryValueType.None, bytes),
        1 => new RegistryValue(name, RegistryValueType.String, Utf16(bytes, name, fileName, number).TrimEnd('\0')),
        2 => new RegistryValue(name, RegistryValueType.ExpandString, Utf16(bytes, name, fileName, number).TrimEnd('\0')),
        3 => new RegistryValue(name, RegistryValueType.Binary, bytes),
        4 when bytes.Length == 4 => new RegistryValue(name, RegistryValueType.DWord, BitConverter.ToUInt32(bytes)),
        7 => new RegistryValue(name, RegistryValueType.MultiString, MultiString(Utf16(bytes, name, fileName, number))),
        0xb when bytes.Length == 8 => new RegistryValue(name, RegistryValueType.QWord, BitConverter.ToUInt64(bytes)),
        4 or 0xb => throw new RegExportFormatException(fileName, number, $"\"{name}\": hex({type:x}) needs {(type == 4 ? 4 : 8)} bytes, found {bytes.Length}"),
        _ => new RegistryValue(name, RegistryValueType.Other, bytes),
    };

    private static string Utf16(byte[] bytes, string name, string fileName, int number)
    {
        if (bytes.Length % 2 != 0)
        {
            throw new RegExportFormatException(fileName, number, $"\"{name}\": UTF-16 string data has an odd number of bytes ({bytes.Length})");
        }

        return Encoding.Unicode.GetString(bytes);
    }

    /// <summary>Each string ends in a NUL and the list adds one more; empty strings inside the list are kept
    /// (PendingFileRenameOperations uses them for "delete").</summary>
    private static string[] MultiString(string text)
    {
        if (text.EndsWith("\0\0", StringComparison.Ordinal))
        {
            text = text[..^2];
        }
        else if (text.EndsWith('\0'))
        {
            text = text[..^1];
        }

        return text.Length == 0 ? [] : text.Split('\0');
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Lines of the text with their 1-based numbers; CRLF and LF both end a line.</summary>
    private sealed class LineCursor
    {
        private readonly string _text;
        private int _position;

        public LineCursor(string text) => _text = text;

        public int LineNumber { get; private set; }

        public bool Next(out string line)
        {
            if (_position >= _text.Length)
            {
                line = string.Empty;
                return false;
            }

            var end = _text.IndexOf('\n', _position);
            if (end < 0)
            {
                end = _text.Length;
            }

            line = _text[_position..end].TrimEnd('\r');
            _position = end + 1;
            LineNumber++;
            return true;
        }
    }
}
