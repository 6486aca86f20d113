using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Secrets;

public sealed class SecretWarningsTests
{
    private static readonly OutputWord[] Words =
    [
        new("the tool's name", "orchprep", IsData: true),
        new("the environment's name", "sandbox", IsData: false),
        new("a host's name", "orch-ms01", IsData: false),
        new("a host's name", "orch-web01", IsData: false),
    ];

    [Fact]
    public void ShortSecret_IsWarnedAbout_ByItsVariable_NeverItsValue()
    {
        var warnings = SecretWarnings.For([new("ORCHPREP_SQL_PASSWORD", "zq")], Words);

        var warning = Assert.Single(warnings);
        Assert.Contains("ORCHPREP_SQL_PASSWORD", warning, StringComparison.Ordinal);
        Assert.Contains("still masked", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("zq", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretEqualToTheEnvironmentsName_IsCalledOut()
    {
        var warning = Assert.Single(SecretWarnings.For([new("ORCHPREP_SANDBOX_PASSWORD", "sandbox")], Words));

        Assert.StartsWith("orchprep: warning: the value of ORCHPREP_SANDBOX_PASSWORD equals the environment's name.", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox", warning.Replace("SANDBOX", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void SecretInsideHostNames_IsCalledOutOnce()
    {
        var warning = Assert.Single(SecretWarnings.For([new("ORCHPREP_WS_PASSWORD", "-ms01")], Words));

        Assert.Contains("ORCHPREP_WS_PASSWORD is part of a host's name", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretInsideTheToolsName_SaysItIsNotMaskedThere()
    {
        var warnings = SecretWarnings.For([new("ORCHPREP_SQL_PASSWORD", "orchprep")], Words);

        var warning = Assert.Single(warnings);
        Assert.Contains("equals the tool's name, which orchprep prints as its own and does not mask there", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void OrdinarySecret_HasNoWarning()
    {
        Assert.Empty(SecretWarnings.For([new("ORCHPREP_SQL_PASSWORD", "Correct-Horse-9"), new("GITHUB_TOKEN", "ghs_x1y2")], Words));
    }

    [Fact]
    public void SecretVariable_PrintsItsNameOnly()
    {
        Assert.Equal("ORCHPREP_SQL_PASSWORD", new SecretVariable("ORCHPREP_SQL_PASSWORD", "hunter22").ToString());
    }
}
