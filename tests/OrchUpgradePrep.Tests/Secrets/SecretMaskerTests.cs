using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Secrets;

public sealed class SecretMaskerTests
{
    // Characters that every encoding changes: '+' '/' in base64 come from the bytes, the rest are escaped by URL/JSON/XML.
    private const string Secret = "p@ss w<o>rd&\"q'+é/";

    public static TheoryData<string> EncodedForms()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));
        return
        [
            Secret,
            base64,
            base64.TrimEnd('='),
            Uri.EscapeDataString(Secret),
            JsonEncodedText.Encode(Secret).ToString(),
            JsonEncodedText.Encode(Secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            System.Security.SecurityElement.Escape(Secret),
            "p@ss w&lt;o&gt;rd&amp;\"q'+é/",
        ];
    }

    [Theory]
    [MemberData(nameof(EncodedForms))]
    public void RegisteredSecret_IsMaskedInEveryEncodedForm(string form)
    {
        var masker = new SecretMasker();
        masker.Add(Secret);

        Assert.Equal("before *** after", masker.Mask($"before {form} after"));
    }

    [Fact]
    public void Base64WithoutPadding_IsMasked()
    {
        var masker = new SecretMasker();
        masker.Add("abcd");
        var unpadded = Convert.ToBase64String("abcd"u8.ToArray()).TrimEnd('=');

        Assert.Equal("YWJjZA", unpadded);
        Assert.Equal("x=***.", masker.Mask($"x={unpadded}."));
    }

    [Fact]
    public void MultiLineSecret_IsMaskedWholeAndLineByLine()
    {
        var masker = new SecretMasker();
        masker.Add("-----BEGIN KEY-----\r\nMIIB\nEND");

        Assert.Equal("***", masker.Mask("-----BEGIN KEY-----\r\nMIIB\nEND"));
        Assert.Equal("a *** b *** c ***", masker.Mask("a MIIB b -----BEGIN KEY----- c END"));
    }

    [Fact]
    public void LongerSecret_IsMaskedBeforeItsPrefix()
    {
        var masker = new SecretMasker();
        masker.Add("secret");
        masker.Add("secret-extended");

        Assert.Equal("[***]", masker.Mask("[secret-extended]"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NullOrEmpty_IsIgnored(string? value)
    {
        var masker = new SecretMasker();
        masker.Add(value);

        Assert.Empty(masker.Secrets);
        Assert.Equal("text", masker.Mask("text"));
    }

    [Fact]
    public void Secrets_ListsRawValuesOnceInOrder()
    {
        var masker = new SecretMasker();
        masker.Add("one");
        masker.Add("two");
        masker.Add("one");

        Assert.Equal(["one", "two"], masker.Secrets);
    }

    [Fact]
    public void ConcurrentAddAndMask_LoseNoSecret()
    {
        var masker = new SecretMasker();
        var secrets = Enumerable.Range(0, 200).Select(i => $"secret-{i:D4}-value").ToArray();

        Parallel.ForEach(secrets, s =>
        {
            masker.Add(s);
            Assert.Equal("***", masker.Mask(s));
        });

        Assert.Equal(200, masker.Secrets.Count);
        Assert.All(secrets, s => Assert.Equal("***", masker.Mask(s)));
    }

    [Fact]
    public void DataValue_KeepsASecretInsideIt_AndTheSecretIsMaskedElsewhere()
    {
        var masker = new SecretMasker();
        masker.Add("sandbox");
        masker.AddData("/tmp/orchprep-sandbox/out/report.json");

        Assert.Equal(
            "wrote /tmp/orchprep-sandbox/out/report.json for ***",
            masker.Mask("wrote /tmp/orchprep-sandbox/out/report.json for sandbox"));
    }

    [Fact]
    public void SecretThatStraddlesTheEndOfADataValue_IsMasked()
    {
        var masker = new SecretMasker();
        masker.Add("json!pw");
        masker.AddData("/out/report.json");

        Assert.Equal("/out/report.***", masker.Mask("/out/report.json!pw"));
    }

    [Fact]
    public void AdjacentAndOverlappingOccurrences_AreMaskedAsBefore()
    {
        var masker = new SecretMasker();
        masker.Add("abab");
        masker.Add("ab");

        // Longest form first, then what is left: each occurrence is its own ***.
        Assert.Equal("******x***", masker.Mask("ababababxab"));
    }

    [Fact]
    public void ShortSecret_IsStillMasked()
    {
        var masker = new SecretMasker();
        masker.Add("ab");

        Assert.Equal("c***d", masker.Mask("cabd"));
    }

    [Fact]
    public void ToolName_AsData_IsNotMasked_ByASecretThatIsPartOfIt()
    {
        var masker = new SecretMasker();
        masker.Add("orch");
        masker.AddData("orchprep");

        Assert.Equal("orchprep: host *** is down", masker.Mask("orchprep: host orch is down"));
    }
}
