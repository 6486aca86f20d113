using System.IO.Abstractions;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>
/// Reads orchprep.yml strictly: unknown keys, wrong types, missing values and secrets written into the file
/// are all reported together, one <c>file(line,col): message</c> per line, in one <see cref="ConfigException"/>.
/// </summary>
public sealed class ConfigLoader(IFileSystem fileSystem)
{
    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file is missing, unreadable, too large or invalid.</exception>
    public OrchPrepConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            if (!fileSystem.File.Exists(path))
            {
                throw new ConfigException($"{path}: config file not found.");
            }

            // Check the size before reading so a huge file is never loaded into memory.
            if (fileSystem.FileInfo.New(path).Length > ConfigLimits.MaxDocumentBytes)
            {
                throw new ConfigException($"{path}: the config file is larger than {ConfigLimits.MaxDocumentBytes / 1024} KiB.");
            }

            bytes = fileSystem.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the config file: {e.Message}", e);
        }

        var parsed = Parse(Decode(bytes, path), path);
        return parsed with { SourcePath = fileSystem.Path.GetFullPath(path) };
    }

    /// <summary>
    /// The file's text: UTF-8 (a BOM is fine), or UTF-16/UTF-32 with their BOM. Decoded strictly: a byte that is not
    /// valid in the encoding is an error at its line and column, never a replacement character in a server name.
    /// </summary>
    /// <exception cref="ConfigException">The bytes are not valid text in the encoding.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var (encoding, bomLength) = SniffEncoding(bytes);
        var body = bytes[bomLength..];
        // Found here rather than from DecoderFallbackException.Index (not the byte's offset for UTF-16), so the position is exact.
        var bad = FirstInvalidOffset(body, encoding);
        if (bad >= 0)
        {
            var name = encoding switch { UTF8Encoding => "UTF-8", UTF32Encoding => "UTF-32", _ => "UTF-16" };
            throw InvalidBytesAt(sourceName, encoding.GetString(body[..bad]), body[bad], name);
        }

        return encoding.GetString(body);
    }

    /// <summary>The offset of the first byte that does not start a valid character, or -1.</summary>
    private static int FirstInvalidOffset(ReadOnlySpan<byte> body, Encoding encoding)
    {
        var bigEndian = encoding.GetPreamble() is [0xFE, 0xFF] or [0x00, 0x00, 0xFE, 0xFF];
        var offset = 0;
        while (offset < body.Length)
        {
            var rest = body[offset..];
            switch (encoding)
            {
                case UTF8Encoding:
                    if (System.Text.Rune.DecodeFromUtf8(rest, out _, out var consumed) != System.Buffers.OperationStatus.Done)
                    {
                        return offset;
                    }

                    offset += consumed;
                    break;
                case UTF32Encoding:
                    if (rest.Length < 4 || !System.Text.Rune.IsValid(bigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(rest) : System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(rest)))
                    {
                        return offset;
                    }

                    offset += 4;
                    break;
                default:
                    if (rest.Length < 2)
                    {
                        return offset;
                    }

                    var unit = Utf16Unit(rest, bigEndian);
                    if (char.IsLowSurrogate(unit) || (char.IsHighSurrogate(unit) && (rest.Length < 4 || !char.IsLowSurrogate(Utf16Unit(rest[2..], bigEndian)))))
                    {
                        return offset;
                    }

                    offset += char.IsHighSurrogate(unit) ? 4 : 2;
                    break;
            }
        }

        return -1;
    }

    private static char Utf16Unit(ReadOnlySpan<byte> at, bool bigEndian) =>
        (char)(bigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(at) : System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(at));

    private static (Encoding Encoding, int BomLength) SniffEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, 3),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true), 4),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true), 4),
        [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true), 2),
        [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true), 2),
        _ => (StrictUtf8, 0),
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The error for a bad byte after <paramref name="validPrefix"/>: line and column as the YAML errors count them.</summary>
    private static ConfigException InvalidBytesAt(string sourceName, string validPrefix, byte bad, string encodingName)
    {
        var line = 1 + validPrefix.Count(c => c == '\n');
        var column = 1 + validPrefix.Length - (validPrefix.LastIndexOf('\n') + 1);
        return ConfigException.At(sourceName, line, column,
            $"the file is not valid {encodingName}: byte 0x{bad:X2} here is not a character. Save the file as UTF-8 (with or without BOM).");
    }

    /// <summary>Validates YAML text; <paramref name="sourceName"/> names it in messages and becomes <see cref="OrchPrepConfig.SourcePath"/>.</summary>
    /// <exception cref="ConfigException">The text is not a valid orchprep config.</exception>
    public static OrchPrepConfig Parse(string yamlText, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (Encoding.UTF8.GetByteCount(yamlText) > ConfigLimits.MaxDocumentBytes)
        {
            throw ConfigException.At(sourceName, 1, 1, $"the config is larger than {ConfigLimits.MaxDocumentBytes / 1024} KiB.");
        }

        var context = new ConfigReadContext();
        if (!YamlPreflight.Check(yamlText, context))
        {
            throw context.ToException(sourceName);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            // The preflight catches syntax errors; what is left are semantic ones such as an unknown alias.
            context.Error(e.Start, e.Message);
            throw context.ToException(sourceName);
        }

        if (stream.Documents.Count == 0 || YamlNodes.IsNull(stream.Documents[0].RootNode))
        {
            throw ConfigException.At(sourceName, 1, 1, "the config file is empty; it must start with 'environments:'.");
        }

        Dictionary<string, EnvironmentConfig> environments = [];
        try
        {
            environments = ReadRoot(stream.Documents[0].RootNode, context);
        }
        catch (ConfigNodeBudgetExceededException)
        {
            // The errors found so far are mostly repeats of the same aliased nodes; report the cause alone.
            var root = stream.Documents[0].RootNode.Start;
            throw ConfigException.At(sourceName, root.Line, root.Column, $"the document expands to more than {ConfigLimits.MaxNodeVisits} nodes through anchors and aliases; write the config with fewer aliases.");
        }

        if (context.Errors.Count > 0)
        {
            throw context.ToException(sourceName);
        }

        return new OrchPrepConfig(sourceName, environments);
    }

    private static Dictionary<string, EnvironmentConfig> ReadRoot(YamlNode root, ConfigReadContext context)
    {
        var environments = new Dictionary<string, EnvironmentConfig>(StringComparer.Ordinal);
        if (YamlSection.Open(context, root, "", ConfigKeys.Root) is not { } top)
        {
            return environments;
        }

        top.Require("environments", " (a mapping from environment name to its hosts, sql, webService and policies)");
        if (top.Section("environments", allowedKeys: null) is not { } section)
        {
            return environments;
        }

        if (!section.Entries.Any())
        {
            context.Error(section.Node, "'environments' is empty; define at least one environment.");
        }

        var reader = new EnvironmentReader(context);
        foreach (var (keyNode, value) in section.Entries)
        {
            var name = keyNode.Value!;
            if (!YamlSectionValues.IsName(name))
            {
                context.Error(keyNode, $"'{name}' is not a valid environment name; use letters, digits, '_', '.' and '-', starting with a letter or digit.");
                continue;
            }

            if (reader.Read(name, keyNode, value, "environments." + name) is { } environment)
            {
                environments.Add(name, environment);
            }
        }

        return environments;
    }
}
