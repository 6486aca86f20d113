using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>prepare-state.json as a test reads it from an output folder.</summary>
internal static class PrepareStateFile
{
    /// <summary>Nothing is left for resume: no state file, or one that lists nothing (resume keeps it, emptied).</summary>
    public static void AssertListsNothing(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, "prepare-state.json");
        if (!File.Exists(path))
        {
            return;
        }

        var state = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.True(state.GetProperty("stoppedServices").GetArrayLength() == 0 && state.GetProperty("stoppedMonitors").GetArrayLength() == 0,
            $"resume left something prepare stopped in {path}:\n{state}");
    }
}
