using OrchUpgradePrep.Config;
using OrchUpgradePrep.Gates;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates;

public sealed class GateSettingsTests
{
    private static GateSettings From(Dictionary<string, string> env, Func<string, string>? readFile = null) =>
        GateSettings.FromEnvironment(env.GetValueOrDefault, readFile ?? (_ => throw new FileNotFoundException("no file")));

    [Fact]
    public void Environments_MapPipelineNamesToConfigEnvironmentsOrSandboxScenarios_CaseInsensitively()
    {
        var settings = From(new() { [GateSettings.EnvironmentsVariable] = "orchestrator-prod=prod, trial=sandbox:ready" });

        Assert.Equal(new GateEnvironment("orchestrator-prod", "prod", null), settings.Find("Orchestrator-Prod"));
        Assert.Equal(new GateEnvironment("trial", null, "ready"), settings.Find("trial"));
        Assert.Null(settings.Find("orchestrator-dev"));
    }

    [Theory]
    [InlineData("prod", "is not pipeline-environment=config-environment")]
    [InlineData("a=b,a=c", "'a' is mapped twice")]
    [InlineData("=prod", "is not pipeline-environment=config-environment")]
    public void BadEnvironmentMaps_AreConfigErrors(string value, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => From(new() { [GateSettings.EnvironmentsVariable] = value }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ListenOnLoopback_WithAFifteenMinuteCheckTimeout_AndGitHubDotCom()
    {
        var settings = From([]);

        Assert.Equal(["http://127.0.0.1:8080"], settings.Urls);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.CheckTimeout);
        Assert.Equal(new Uri("https://api.github.com/"), settings.GitHubApiUrl);
        Assert.Empty(settings.Secrets);
    }

    [Fact]
    public void PrivateKey_ComesFromTheVariableOrTheFileItNames_AndIsASecret()
    {
        var settings = From(
            new() { [GateSettings.GitHubAppPrivateKeyFileVariable] = "/keys/app.pem", [GateSettings.WebhookSecretVariable] = "hook-secret" },
            path => path == "/keys/app.pem" ? "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----" : throw new FileNotFoundException(path));

        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", settings.GitHubAppPrivateKeyPem, StringComparison.Ordinal);
        Assert.Contains(settings.GitHubAppPrivateKeyPem, settings.Secrets);
        Assert.Contains("hook-secret", settings.Secrets);
    }

    [Fact]
    public void AnUnreadableKeyFile_IsAConfigErrorNamingTheVariable()
    {
        var ex = Assert.Throws<ConfigException>(() => From(
            new() { [GateSettings.GitHubAppPrivateKeyFileVariable] = "/keys/missing.pem" },
            _ => throw new FileNotFoundException("Could not find file '/keys/missing.pem'.")));

        Assert.StartsWith(GateSettings.GitHubAppPrivateKeyFileVariable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureDevOpsServerUrls_AreOrigins_WithOrWithoutPortAndSlash()
    {
        var settings = From(new() { [GateSettings.AzureDevOpsServerUrlsVariable] = "https://tfs.contoso.com, http://tfs01:8080/ ;https://TFS02.contoso.com:8443" });

        Assert.Equal(
            [new Uri("https://tfs.contoso.com/"), new Uri("http://tfs01:8080/"), new Uri("https://tfs02.contoso.com:8443/")],
            settings.AzureDevOpsServerOrigins);
        Assert.Empty(From([]).AzureDevOpsServerOrigins);
    }

    [Theory]
    [InlineData("https://tfs.contoso.com/tfs/DefaultCollection", "'https://tfs.contoso.com/tfs/DefaultCollection' is not an origin")]
    [InlineData("https://ok.example, ftp://tfs.contoso.com", "'ftp://tfs.contoso.com' is not an http(s) origin")]
    [InlineData("tfs.contoso.com", "'tfs.contoso.com' is not an http(s) origin")]
    [InlineData("https://user:Pa55w0rd@tfs.contoso.com", "'https://tfs.contoso.com (with user info)' is not an origin")]
    [InlineData("https://tfs.contoso.com/?x=1", "is not an origin")]
    public void ABadAzureDevOpsServerUrl_IsAConfigErrorNamingTheVariableAndTheEntry(string value, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => From(new() { [GateSettings.AzureDevOpsServerUrlsVariable] = value }));

        Assert.StartsWith(GateSettings.AzureDevOpsServerUrlsVariable + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55w0rd", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GateSettings.CheckTimeoutVariable, "soon")]
    [InlineData(GateSettings.CheckTimeoutVariable, "0s")]
    [InlineData(GateSettings.GitHubApiUrlVariable, "ftp://example")]
    public void BadValues_AreConfigErrorsNamingTheVariable(string variable, string value)
    {
        var ex = Assert.Throws<ConfigException>(() => From(new() { [variable] = value }));
        Assert.StartsWith(variable, ex.Message, StringComparison.Ordinal);
    }
}
