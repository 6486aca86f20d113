using System.Globalization;
using System.Text;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>Writes keys the way <c>reg export</c> does: UTF-16LE with BOM, CRLF, quoted REG_SZ, <c>dword:</c>,
/// and <c>hex(N):</c> wrapped near 80 columns. Used by the sandbox so its snapshots go through the real reader.</summary>
public static class RegExportWriter
{
    private const int WrapColumn = 76;

    public static void Write(Stream stream, IEnumerable<RegExportKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var writer = new StreamWriter(stream, new UnicodeEncoding(bigEndian: false, byteOrderMark: true), leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine("Windows Registry Editor Version 5.00");
        foreach (var key in keys)
        {
            writer.WriteLine();
            writer.WriteLine($"[{key.Path}]");
            foreach (var value in key.Values)
            {
                writer.WriteLine(Format(value));
            }
        }

        writer.WriteLine();
    }

    public static string Format(RegistryValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Name.Length == 0 ? "@" : $"\"{Escape(value.Name)}\"";
        return value.Type switch
        {
            RegistryValueType.String => $"{name}=\"{Escape((string)value.Data)}\"",
            RegistryValueType.DWord => $"{name}=dword:{(uint)value.Data:x8}",
            RegistryValueType.ExpandString => Hex(name, "hex(2)", Encoding.Unicode.GetBytes((string)value.Data + "\0")),
            RegistryValueType.MultiString => Hex(name, "hex(7)", Encoding.Unicode.GetBytes(string.Concat(((string[])value.Data).Select(s => s + "\0")) + "\0")),
            RegistryValueType.QWord => Hex(name, "hex(b)", BitConverter.GetBytes((ulong)value.Data)),
            RegistryValueType.Binary => Hex(name, "hex", (byte[])value.Data),
            RegistryValueType.None => Hex(name, "hex(0)", (byte[])value.Data),
            _ => throw new ArgumentException($"cannot write a {value.TypeName} value; its type number is unknown", nameof(value)),
        };
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Hex(string name, string kind, byte[] bytes)
    {
        var text = new StringBuilder($"{name}={kind}:");
        var lineStart = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            text.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            if (i < bytes.Length - 1)
            {
                text.Append(',');
                if (text.Length - lineStart > WrapColumn)
                {
                    text.Append("\\\r\n  ");
                    lineStart = text.Length - 2;
                }
            }
        }

        return text.ToString();
    }
}
