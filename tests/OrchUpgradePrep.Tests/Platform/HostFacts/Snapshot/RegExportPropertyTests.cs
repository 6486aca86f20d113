using System.Text;
using CsCheck;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Snapshot;

/// <summary>Hostile <c>reg export</c> files end in <see cref="RegExportFormatException"/> naming the line; what the
/// writer writes, the parser reads back unchanged.</summary>
public sealed class RegExportPropertyTests
{
    // Text the format can carry on one line: no CR/LF (a REG_SZ line break is its own case), no surrogates (UTF-16 pairs are not split).
    private static readonly Gen<string> Text = Gen.Char['\u0020', '\ud7ff'].Array[0, 24].Select(chars => new string(chars));

    private static readonly Gen<RegistryValue> Value = Gen.OneOf(
        Text.Select(t => new RegistryValue("", RegistryValueType.String, t)),
        Gen.UInt.Select(v => new RegistryValue("", RegistryValueType.DWord, v)),
        Gen.ULong.Select(v => new RegistryValue("", RegistryValueType.QWord, v)),
        Text.Select(t => new RegistryValue("", RegistryValueType.ExpandString, t.TrimEnd('\0'))),
        // [""] is written "\0\0", which the format (and Windows) reads as the empty list; not generated.
        Text.Where(t => !t.Contains('\0', StringComparison.Ordinal)).Array[0, 5].Where(a => a is not [""]).Select(a => new RegistryValue("", RegistryValueType.MultiString, a)),
        Gen.Byte.Array[0, 200].Select(b => new RegistryValue("", RegistryValueType.Binary, b)),
        Gen.Byte.Array[0, 20].Select(b => new RegistryValue("", RegistryValueType.None, b)));

    private static readonly Gen<RegExportKey> Key = Gen.Select(
        Text.Where(t => t.Trim().Length > 0 && !t.Contains(']', StringComparison.Ordinal)).Array[1, 4],
        Gen.Select(Text, Value).Array[0, 8],
        Gen.Bool,
        (segments, values, withDefault) => new RegExportKey(
            "HKEY_LOCAL_MACHINE\\" + string.Join('\\', segments),
            values.Select((v, i) => v.Item2 with { Name = i == 0 && withDefault ? "" : $"{v.Item1}#{i}" }).ToList()));

    [Fact]
    public void What_the_writer_writes_the_parser_reads_back()
    {
        Key.Array[0, 5].Sample(
            keys =>
            {
                using var stream = new MemoryStream();
                RegExportWriter.Write(stream, keys);

                var file = RegExportParser.Parse(stream.ToArray(), "round-trip.reg");

                Assert.Equal(keys.Length, file.Keys.Count);
                for (var k = 0; k < keys.Length; k++)
                {
                    Assert.Equal(keys[k].Path, file.Keys[k].Path);
                    Assert.Equal(keys[k].Values.Count, file.Keys[k].Values.Count);
                    for (var v = 0; v < keys[k].Values.Count; v++)
                    {
                        var (expected, actual) = (keys[k].Values[v], file.Keys[k].Values[v]);
                        Assert.Equal(expected.Name, actual.Name);
                        Assert.Equal(expected.Type, actual.Type);
                        Assert.Equal(expected.Data, actual.Data);
                    }
                }
            },
            iter: 300);
    }

    [Fact]
    public async Task Mutated_exports_parse_or_fail_with_a_format_error_naming_the_line()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("reg").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("reg", input, ct)),
            iter: 600, print: HostileInput.Show);
    }

    [Fact]
    public async Task An_unclosed_string_before_many_lines_fails_in_one_pass()
    {
        // Was quadratic: each following line re-copied and re-scanned everything read so far (40,000 lines: 7 s).
        var text = "Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\X]\r\n\"a\"=\"start\r\n" + string.Concat(Enumerable.Repeat("x\r\n", 400_000));

        var parse = Task.Run(() => RegExportParser.Parse(Encoding.UTF8.GetBytes(text), "open.reg"), TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RegExportFormatException>(() => parse.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal(4, error.Line);
        Assert.Contains("no closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_very_many_values_reads_in_linear_time_and_keeps_the_last_duplicate()
    {
        // Was quadratic: every value line scanned the key's earlier values for a duplicate name.
        var text = new StringBuilder("Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\X]\r\n");
        for (var i = 0; i < 200_000; i++)
        {
            text.Append("\"v").Append(i).Append("\"=dword:00000001\r\n");
        }

        text.Append("\"V7\"=dword:00000002\r\n");

        var parse = Task.Run(() => RegExportParser.Parse(text.ToString(), "many.reg"), TestContext.Current.CancellationToken);
        var file = await parse.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var values = Assert.Single(file.Keys).Values;
        Assert.Equal(200_000, values.Count);
        Assert.Equal(("V7", 2u), (values[^1].Name, (uint)values[^1].Data));
        Assert.DoesNotContain(values, v => v.Name == "v7");
    }

    [Fact]
    public void A_string_holding_a_line_break_reads_back_with_it()
    {
        var file = RegExportParser.Parse("Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\X]\r\n\"a\"=\"one \\\\\r\ntwo\\\"\r\nthree\"\r\n", "break.reg");

        Assert.Equal("one \\\r\ntwo\"\r\nthree", Assert.Single(Assert.Single(file.Keys).Values).Data);
    }
}
