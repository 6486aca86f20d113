namespace OrchUpgradePrep.Tests;

/// <summary>Files of the source tree (not bin/), found from the test output folder, so golden files and docs are read and rewritten where they live.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(string relative) => Path.Combine(Root, relative);

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
