using System.Text;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

/// <summary>
/// Exact comparison with an expected file under TestData/golden/. To accept a deliberate change, run the
/// tests once with ORCHPREP_UPDATE_GOLDEN=1 (the files are rewritten in the source tree), then review the diff.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Of(Path.Combine("tests", "OrchUpgradePrep.Tests")), "TestData", "golden", fileName);
        if (Environment.GetEnvironmentVariable("ORCHPREP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        Assert.True(File.Exists(path), $"Missing golden file {path}; run the tests with ORCHPREP_UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllText(path, Encoding.UTF8);
        Assert.Equal(expected, actual);
    }
}
