using OrchUpgradePrep.Gates.AzureDevOps;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.AzureDevOps;

public sealed class AzureDevOpsHostsTests
{
    private static readonly AzureDevOpsHosts Hosts = new([new Uri("https://tfs.contoso.com/"), new Uri("http://tfs01:8080/")]);

    [Theory]
    [InlineData("https://dev.azure.com/contoso/")]
    [InlineData("https://DEV.AZURE.COM/contoso/")]
    [InlineData("https://vsrm.dev.azure.com/contoso/")]
    [InlineData("https://contoso.visualstudio.com/")]
    [InlineData("https://contoso.vsrm.visualstudio.com/DefaultCollection/")]
    [InlineData("https://tfs.contoso.com/tfs/DefaultCollection/")]
    [InlineData("https://tfs.contoso.com:443/tfs/DefaultCollection/")]
    [InlineData("http://tfs01:8080/tfs/DefaultCollection/")]
    public void AzureDevOpsServicesAndListedServers_AreAllowed(string planUrl) => Assert.True(Hosts.Allows(new Uri(planUrl)));

    [Theory]
    [InlineData("http://dev.azure.com/contoso/")]
    [InlineData("https://dev.azure.com:8443/contoso/")]
    [InlineData("https://dev.azure.com.evil.example/contoso/")]
    [InlineData("https://evil.dev.azure.com/contoso/")]
    [InlineData("https://evil.example/dev.azure.com/")]
    [InlineData("https://visualstudio.com/")]
    [InlineData("https://evilvisualstudio.com/")]
    [InlineData("https://visualstudio.com.evil.example/")]
    [InlineData("http://contoso.visualstudio.com/")]
    [InlineData("http://tfs.contoso.com/tfs/")]
    [InlineData("https://tfs01:8080/tfs/")]
    [InlineData("http://tfs01/tfs/")]
    [InlineData("http://tfs01:8081/tfs/")]
    [InlineData("https://tfs.contoso.com.evil.example/")]
    public void AnythingElse_IsRefused(string planUrl) => Assert.False(Hosts.Allows(new Uri(planUrl)));

    [Fact]
    public void WithNoServerListed_OnlyAzureDevOpsServicesIsAllowed()
    {
        var hosts = new AzureDevOpsHosts([]);

        Assert.True(hosts.Allows(new Uri("https://dev.azure.com/contoso/")));
        Assert.False(hosts.Allows(new Uri("http://127.0.0.1:8080/org/")));
        Assert.Equal("https://dev.azure.com, https://vsrm.dev.azure.com, https://*.visualstudio.com", hosts.Describe());
    }
}
