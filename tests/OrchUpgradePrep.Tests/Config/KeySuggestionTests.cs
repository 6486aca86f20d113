using OrchUpgradePrep.Config;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("pasword", "passwordEnv")]
    [InlineData("Server", "server")]
    [InlineData("trustServerCert", "trustServerCertificate")]
    [InlineData("databse", "database")]
    [InlineData("encrypted", "encrypt")]
    public void CloseTypos_SuggestTheIntendedKey(string typed, string expected)
    {
        Assert.Equal(expected, KeySuggestion.Closest(typed, ["server", "database", "auth", "user", "passwordEnv", "encrypt", "trustServerCertificate"]));
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("x")]
    [InlineData("timeoutSeconds")]
    public void UnrelatedWords_SuggestNothing(string typed)
    {
        Assert.Null(KeySuggestion.Closest(typed, ["server", "database", "auth", "user", "passwordEnv", "encrypt", "trustServerCertificate"]));
    }
}
