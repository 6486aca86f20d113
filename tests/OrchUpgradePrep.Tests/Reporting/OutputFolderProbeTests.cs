using System.IO.Abstractions;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class OutputFolderProbeTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-probe-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void A_missing_folder_is_made_and_the_probe_leaves_nothing_behind()
    {
        var folder = Path.Combine(_work.FullName, "a", "b");

        Assert.Null(OutputFolderProbe.Problem(new FileSystem(), folder, ["report.json"]));
        Assert.True(Directory.Exists(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void A_file_in_the_way_is_named()
    {
        var folder = Path.Combine(_work.FullName, "out");
        File.WriteAllText(folder, "x");

        Assert.Equal($"the output folder {folder} cannot be used: a file of that name is in the way.",
            OutputFolderProbe.Problem(new FileSystem(), folder, ["report.json"]));
    }

    [Fact]
    public void A_file_in_the_way_of_a_parent_folder_gives_the_systems_own_words()
    {
        File.WriteAllText(Path.Combine(_work.FullName, "parent"), "x");
        var folder = Path.Combine(_work.FullName, "parent", "out");

        var problem = OutputFolderProbe.Problem(new FileSystem(), folder, ["report.json"]);

        Assert.StartsWith($"the output folder {folder} cannot be written: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_where_a_file_of_the_run_goes_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_work.FullName, "prepare-state.json"));

        var problem = OutputFolderProbe.Problem(new FileSystem(), _work.FullName, ["report.json", "prepare-state.json"]);

        Assert.Equal($"the output folder {_work.FullName} cannot be used: {Path.Combine(_work.FullName, "prepare-state.json")} is a folder, where orchprep writes a file.", problem);
    }

    [Fact]
    public void A_read_only_folder_is_refused_with_the_systems_own_words()
    {
        var problem = OutputFolderProbe.Problem(FaultingFileSystem.ReadOnly(_work.FullName), _work.FullName, ["report.json"]);

        Assert.StartsWith($"the output folder {_work.FullName} cannot be written: Access to the path '{_work.FullName}", problem, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.FullName));
    }
}
