using System.Text;
using CsCheck;
using Microsoft.AspNetCore.Http;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Gates.AzureDevOps;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.AzureDevOps;

/// <summary>Hostile check calls: the headers make a plan or a problem naming them; the secret check is a plain true/false.</summary>
public sealed class AzureDevOpsPlanPropertyTests
{
    [Fact]
    public async Task Mutated_header_sets_make_a_plan_or_a_problem()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("azdo-headers").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("azdo-headers", input, ct)),
            iter: 600, print: HostileInput.Show);
    }

    [Fact]
    public void Any_single_header_value_makes_a_plan_or_names_the_header()
    {
        var valid = SeedCorpus.PlanHeaders().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        Gen.Select(Gen.OneOf(AzureDevOpsPlan.RequiredHeaders.Append(AzureDevOpsPlan.TimelineIdHeader).Select(Gen.Const).ToArray()), Gen.String[0, 300]).Sample(
            (name, value) =>
            {
                var headers = new HeaderDictionary();
                foreach (var (key, text) in valid)
                {
                    headers[key] = key == name ? value : text;
                }

                var plan = AzureDevOpsPlan.FromHeaders(headers, out var problem);

                Assert.True(plan is not null || problem!.Contains(name, StringComparison.Ordinal), problem);
            },
            iter: 500);
    }

    [Fact]
    public void Basic_credentials_match_only_with_the_secret_as_password()
    {
        var secret = new CheckSecret(FuzzTargets.Secret);
        Gen.Select(Gen.String[0, 40], Gen.String[0, 40]).Sample(
            (user, password) =>
            {
                var header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Replace(":", "", StringComparison.Ordinal)}:{password}"));
                Assert.Equal(password == FuzzTargets.Secret, secret.Matches(header));
                Assert.False(secret.Matches("Basic " + password));
            },
            iter: 300);
    }

    [Fact]
    public void A_header_longer_than_the_decode_buffer_is_refused_not_thrown()
    {
        var secret = new CheckSecret(FuzzTargets.Secret);
        var header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + new string('x', 100_000)));

        Assert.False(secret.Matches(header));
        Assert.Null(CheckSecret.BasicPassword(header));
    }
}
