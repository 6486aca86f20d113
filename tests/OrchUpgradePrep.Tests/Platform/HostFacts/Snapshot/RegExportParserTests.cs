using System.Text;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Snapshot;

public sealed class RegExportParserTests
{
    private const string Header = "Windows Registry Editor Version 5.00\r\n\r\n";

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "snapshots", "orch-ms01", name);

    [Fact]
    public void Reads_a_file_written_byte_for_byte_as_reg_export_writes_it()
    {
        var bytes = File.ReadAllBytes(Fixture("session-manager.reg"));
        // The fixture really is what Windows writes: UTF-16LE, BOM FF FE, CRLF line ends.
        Assert.Equal(new byte[] { 0xFF, 0xFE, (byte)'W', 0 }, bytes[..4]);
        Assert.Contains("\r\n", Encoding.Unicode.GetString(bytes[2..]), StringComparison.Ordinal);

        var file = RegExportParser.Parse(bytes, "session-manager.reg");

        Assert.Equal(
            [
                @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager",
                @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
                @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management",
            ],
            file.Keys.Select(k => k.Path));
        var values = file.Keys[0].Values.ToDictionary(v => v.Name);
        Assert.Equal(new[] { "autocheck autochk *" }, (string[])values["BootExecute"].Data);
        Assert.Equal(0x00278d00u, values["CriticalSectionTimeout"].Data);
        Assert.Empty((string[])values["ExcludeFromKnownDlls"].Data);
        Assert.Equal(
            new[] { @"\??\C:\Windows\Temp\avupd\old.dll", "", @"\??\C:\ProgramData\Vendor\new.sys", @"!\??\C:\ProgramData\Vendor\cur.sys" },
            (string[])values["PendingFileRenameOperations"].Data);
        Assert.Equal(new RegistryValue("SystemDirectory", RegistryValueType.ExpandString, @"%SystemRoot%\system32"), values["SystemDirectory"]);
        Assert.Equal(0x01DB3F5A12345678ul, values["LastBootTimeTicks"].Data);
        Assert.Equal("Quote \"this\" and back\\slash", values["Description"].Data);
        Assert.Equal("default", values[""].Data);
        Assert.Equal(@"%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\System32\Wbem;C:\Program Files\dotnet\", file.Keys[1].Values.Single(v => v.Name == "Path").Data);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0xff, 0x10 }, (byte[])file.Keys[2].Values[0].Data);
    }

    [Fact]
    public void Reads_utf8_with_and_without_bom_and_lf_line_ends()
    {
        var text = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\InetStp]\n\"MajorVersion\"=dword:0000000A\n";
        foreach (var bytes in new[] { Encoding.UTF8.GetBytes(text), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)] })
        {
            var file = RegExportParser.Parse(bytes, "x.reg");
            Assert.Equal(10u, file.Keys.Single().Values.Single().Data);
        }
    }

    [Fact]
    public void Accepts_uppercase_hex_and_short_root_names()
    {
        var file = RegExportParser.Parse(Header + "[HKLM\\SOFTWARE\\X]\r\n\"Q\"=hex(B):FF,00,00,00,00,00,00,00\r\n", "x.reg");
        Assert.Equal(@"HKEY_LOCAL_MACHINE\SOFTWARE\X", file.Keys[0].Path);
        Assert.Equal(255ul, file.Keys[0].Values[0].Data);
    }

    [Fact]
    public void Writer_output_reads_back_to_the_same_values()
    {
        RegistryValue[] values =
        [
            new("", RegistryValueType.String, "with \"quotes\" and \\"),
            new("Dword", RegistryValueType.DWord, 0xdeadbeefu),
            new("Multi", RegistryValueType.MultiString, new[] { "one", "", "three — ünïcode" }),
            new("Expand", RegistryValueType.ExpandString, new string('x', 200)),
            new("Qword", RegistryValueType.QWord, ulong.MaxValue),
            new("Bin", RegistryValueType.Binary, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()),
        ];
        using var stream = new MemoryStream();
        RegExportWriter.Write(stream, [new RegExportKey(@"HKEY_LOCAL_MACHINE\SOFTWARE\Round\Trip", values)]);

        var bytes = stream.ToArray();
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0xFE, bytes[1]);
        var read = RegExportParser.Parse(bytes, "round.reg").Keys.Single().Values;
        Assert.Equal(values.Length, read.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i].Name, read[i].Name);
            Assert.Equal(values[i].Type, read[i].Type);
            Assert.Equal(values[i].Data, read[i].Data);
        }

        // Long hex data wraps as reg export does: ",\" then a line starting with two spaces, none past 80 columns.
        var lines = Encoding.Unicode.GetString(bytes[2..]).Split("\r\n");
        Assert.Contains(lines, l => l.StartsWith("  ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
    }

    [Theory]
    [InlineData("REGEDIT5\r\n", 1, "first line")]
    [InlineData(Header + "\"Orphan\"=dword:00000001\r\n", 3, "before the first [key]")]
    [InlineData(Header + "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n", 3, "never occurs in reg export")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=-\r\n", 4, "deletes a value")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n; note\r\n", 4, "comments")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=dword:1234567890\r\n", 4, "8 hex digits")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=hex:01,zz\r\n", 4, "not a hex byte")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=hex(2):41,00,42\r\n", 4, "odd number of bytes")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=hex(7):41,00,\\\r\n", 4, "ends inside a continued hex value")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=\"unterminated\r\n", 4, "no closing quote")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=word:1\r\n", 4, "unknown data")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=hex(b):01,02\r\n", 4, "needs 8 bytes")]
    [InlineData(Header + "[HKEY_NOWHERE\\SOFTWARE\\X]\r\n", 3, "not a registry root")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n", 3, "key line")]
    [InlineData(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\nName=1\r\n", 4, "expected a [key] line or a value line")]
    public void Malformed_input_names_the_file_and_line(string text, int line, string problem)
    {
        var ex = Assert.Throws<RegExportFormatException>(() => RegExportParser.Parse(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), "orch-ms01/registry.reg"));
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"orch-ms01/registry.reg, line {line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_bytes_that_are_neither_utf16_nor_utf8()
    {
        var ex = Assert.Throws<RegExportFormatException>(() => RegExportParser.Parse([0x57, 0x69, 0xC3, 0x28, 0xFF, 0x41], "bad.reg"));
        Assert.Contains("neither UTF-16LE nor UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_string_value_that_holds_a_line_break()
    {
        var file = RegExportParser.Parse(Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"V\"=\"first\r\nsecond\"\r\n\"W\"=dword:00000002\r\n", "x.reg");
        Assert.Equal("first\r\nsecond", file.Keys[0].Values[0].Data);
        Assert.Equal(2u, file.Keys[0].Values[1].Data);
    }
}
