using System.Text;
using OrchUpgradePrep.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

public sealed class WebhookSignatureTests
{
    // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void GitHubsExample_IsValid() => Assert.True(WebhookSignature.IsValid(Secret, Body, Expected));

    [Fact]
    public void Sign_ProducesGitHubsExample() => Assert.Equal(Expected, WebhookSignature.Sign(Secret, Body));

    [Fact]
    public void UpperCaseHex_IsValid() => Assert.True(WebhookSignature.IsValid(Secret, Body, "sha256=" + Expected["sha256=".Length..].ToUpperInvariant()));

    [Fact]
    public void WrongSecret_IsInvalid() => Assert.False(WebhookSignature.IsValid("another secret", Body, Expected));

    [Fact]
    public void AlteredBody_IsInvalid() => Assert.False(WebhookSignature.IsValid(Secret, Encoding.UTF8.GetBytes("Hello, World?"), Expected));

    [Fact]
    public void MissingPrefix_IsInvalid() => Assert.False(WebhookSignature.IsValid(Secret, Body, Expected["sha256=".Length..]));

    [Fact]
    public void Sha1Prefix_IsInvalid() => Assert.False(WebhookSignature.IsValid(Secret, Body, "sha1=" + Expected["sha256=".Length..]));

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void WrongLength_IsInvalid(int change)
    {
        var header = change < 0 ? Expected[..^(-change)] : Expected + new string('0', change);
        Assert.False(WebhookSignature.IsValid(Secret, Body, header));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sha256=")]
    public void Empty_IsInvalid(string? header) => Assert.False(WebhookSignature.IsValid(Secret, Body, header));

    [Fact]
    public void NotHex_IsInvalid() => Assert.False(WebhookSignature.IsValid(Secret, Body, "sha256=" + new string('z', 64)));
}
