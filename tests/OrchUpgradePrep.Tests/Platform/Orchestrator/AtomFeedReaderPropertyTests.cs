using System.Text;
using CsCheck;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

/// <summary>Hostile Atom answers end in <see cref="OrchestratorApiException"/>; what AtomJobEntryWriter writes, the reader reads back.</summary>
public sealed class AtomFeedReaderPropertyTests
{
    // Characters XML 1.0 can carry in text (no CR: XML normalises it to LF on read, as it does for the service's own answers).
    private static readonly Gen<string> XmlText = Gen.OneOf(Gen.Char['\u0020', '\ud7ff'], Gen.Char['\ue000', '\ufffd'], Gen.Const('\n'), Gen.Const('\t'))
        .Array[0, 30].Select(chars => new string(chars));

    private static readonly Gen<string> Name = Gen.Select(Gen.Char['A', 'Z'], Gen.Char['a', 'z'].Array[0, 10], (first, rest) => first + new string(rest));

    [Fact]
    public async Task A_cancel_body_written_from_an_entry_reads_back_with_the_same_properties()
    {
        var ct = TestContext.Current.CancellationToken;
        var properties = Gen.Select(Name, Gen.OneOf(Gen.Const((string?)null), Gen.Const<string?>("Edm.String"), Gen.Const<string?>("Edm.Int32")), Gen.Bool, XmlText,
            (name, type, isNull, value) => new AtomProperty(name, type, isNull, isNull ? "" : value)).Array[0, 12];

        await properties.SampleAsync(
            async generated =>
            {
                // Distinct names (the entry is a property bag), plus the one CancelBody requires.
                var props = generated.DistinctBy(p => p.Name).Where(p => p.Name is not ("Status" or "LastModifiedTime" or "CreationTime"))
                    .Append(new AtomProperty("LastModifiedTime", "Edm.DateTime", false, "2013-10-01T12:35:00"))
                    .Append(new AtomProperty("Status", null, false, "Running")).ToList();
                var entry = new AtomEntry { Properties = props, AtomId = "http://orch/Jobs(guid'1')" };

                var read = await AtomFeedReader.ReadEntryAsync(AtomJobEntryWriter.CancelBody(entry), null, 1 << 20, ct);

                var expected = props.Select(p => p.Name == "Status" ? p with { Value = JobStatus.Canceled } : p).ToList();
                Assert.Equal(expected, read.Properties);
                Assert.Equal(entry.AtomId, read.AtomId);
            },
            iter: 300);
    }

    [Fact]
    public async Task Mutated_answers_read_or_fail_with_an_orchestrator_api_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("atom").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("atom", input, ct)),
            iter: 400, print: HostileInput.Show);
    }

    [Theory]
    [InlineData("<!DOCTYPE feed [<!ENTITY a \"b\">]><feed xmlns=\"http://www.w3.org/2005/Atom\">&a;</feed>", "DTD is prohibited")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><m:count xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">-1</m:count></feed>", "m:count is not a number")]
    [InlineData("<?xml version=\"1.0\" encoding=\"ebcdic-xx\"?><feed/>", "not acceptable XML")]
    [InlineData("", "not acceptable XML")]
    public async Task Hostile_feeds_are_orchestrator_api_errors(string body, string expected)
    {
        var error = await Assert.ThrowsAsync<OrchestratorApiException>(() =>
            AtomFeedReader.ReadFeedAsync(Encoding.UTF8.GetBytes(body), new Uri("http://orch/Jobs"), 1 << 20, TestContext.Current.CancellationToken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xml_declaration_with_multibyte_characters_before_its_encoding_is_an_orchestrator_api_error()
    {
        // Found by the fuzz loop (fuzz/corpus/atom/xml-declaration-multibyte.xml): System.Xml's reader throws
        // ArgumentOutOfRangeException, not XmlException, on this declaration; every reader must still give its clear error.
        var ct = TestContext.Current.CancellationToken;
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\ufa89\u2b45\uc003\u6098\ub665\" encoding=\"utf-8\"?><error xm");

        var feed = await Assert.ThrowsAsync<OrchestratorApiException>(() => AtomFeedReader.ReadFeedAsync(body, new Uri("http://orch/Jobs"), 1 << 20, ct));
        var entry = await Assert.ThrowsAsync<OrchestratorApiException>(() => AtomFeedReader.ReadEntryAsync(body, null, 1 << 20, ct));

        Assert.All([feed, entry], e => Assert.Contains("XML declaration cannot be read", e.Message, StringComparison.Ordinal));
        Assert.Null(await AtomFeedReader.ReadErrorMessageAsync(body, 1 << 20, ct));
    }

    [Fact]
    public async Task Deep_nesting_is_bounded_by_the_character_cap()
    {
        var deep = "<feed xmlns=\"http://www.w3.org/2005/Atom\">" + string.Concat(Enumerable.Repeat("<a>", 200_000)) + string.Concat(Enumerable.Repeat("</a>", 200_000)) + "</feed>";

        var error = await Assert.ThrowsAsync<OrchestratorApiException>(() =>
            AtomFeedReader.ReadFeedAsync(Encoding.UTF8.GetBytes(deep), new Uri("http://orch/Jobs"), 100_000, TestContext.Current.CancellationToken));

        Assert.Contains("not acceptable XML", error.Message, StringComparison.Ordinal);
    }
}
