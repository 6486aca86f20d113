using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>A runner's locale must not change what orchprep writes: numbers in the console and report read the same
/// on a German, French or US runner (tools and people downstream parse them).</summary>
public sealed class RunnerCultureTests
{
    [Theory]
    [InlineData("de_DE.UTF-8")]
    [InlineData("fr_FR.UTF-8")]
    public async Task Numbers_are_written_the_same_under_any_locale(string locale)
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["LANG"] = locale, ["LC_ALL"] = locale };

        var run = await OrchPrepProcess.RunAsync(dir.Path, environment, "check", "--sandbox=requirements-unmet", "--only", "requirements.cpu", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("cores at 2.1 GHz", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("2,1 GHz", run.StandardOutput, StringComparison.Ordinal);
    }
}
