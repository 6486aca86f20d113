namespace OrchUpgradePrep.Tests.Reporting;

/// <summary>Paths in the source tree (not bin/), so golden files and docs are read and rewritten where they live.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestProject => Path.Combine(Root, "tests", "OrchUpgradePrep.Tests");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrchUpgradePrep.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrchUpgradePrep.sln not found above " + AppContext.BaseDirectory);
    }
}
