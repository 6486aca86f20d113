using System.Text;
using CsCheck;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

/// <summary>Hostile deliveries: the signature check answers true only for the body's own signature, the payload parser
/// returns a request or null with a problem, never an exception.</summary>
public sealed class WebhookPropertyTests
{
    [Fact]
    public async Task Mutated_deliveries_are_verified_and_parsed_without_exceptions()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("github-webhook").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("github-webhook", input, ct)),
            iter: 600, print: HostileInput.Show);
    }

    [Fact]
    public void Only_the_bodys_own_signature_verifies()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.String[0, 80]).Sample(
            (body, header) =>
            {
                Assert.True(WebhookSignature.IsValid(FuzzTargets.Secret, body, WebhookSignature.Sign(FuzzTargets.Secret, body)));
                Assert.False(WebhookSignature.IsValid(FuzzTargets.Secret, body, header));
                Assert.False(WebhookSignature.IsValid("another-secret", body, WebhookSignature.Sign(FuzzTargets.Secret, body)));
            },
            iter: 300);
    }

    [Theory]
    [InlineData("{\"action\":\"requested\",\"environment\":\"\\ud800\"}")]
    [InlineData("{\"action\":\"\\udc00x\"}")]
    [InlineData("{\"repository\":{\"name\":\"\\ud83d\"}}")]
    public void A_lone_surrogate_escape_is_a_problem_not_an_exception(string body)
    {
        // Found by fuzz/run.sh github-webhook: JsonElement.GetString threw InvalidOperationException (a 500 instead of a 400).
        var request = DeploymentProtectionRuleRequest.Parse(Encoding.UTF8.GetBytes(body), out _, out var problem);

        Assert.Null(request);
        Assert.Equal("the body has a string that is not valid UTF-16 (a lone surrogate escape)", problem);
    }

    [Fact]
    public void Nesting_deeper_than_the_json_limit_is_not_json()
    {
        var body = Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000));

        Assert.Null(DeploymentProtectionRuleRequest.Parse(body, out _, out var problem));
        Assert.Equal("the body is not JSON", problem);
    }
}
