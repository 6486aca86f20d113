using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// tasks/azure-pipelines/vss-extension.json carries the task that tasks/package.sh stages: same version as
/// task.json (agents cache a task by version), and one task folder named alike everywhere.
/// </summary>
public sealed class ExtensionManifestTests
{
    private static readonly JsonElement Extension = Load("tasks/azure-pipelines/vss-extension.json");
    private static readonly JsonElement Task = Load("task.json");

    [Fact]
    public void ExtensionVersion_EqualsTaskJsonVersion()
    {
        var version = Task.GetProperty("version");
        var taskVersion = $"{version.GetProperty("Major").GetInt32()}.{version.GetProperty("Minor").GetInt32()}.{version.GetProperty("Patch").GetInt32()}";

        Assert.Equal(taskVersion, Extension.GetProperty("version").GetString());
    }

    [Fact]
    public void TaskContributionName_EqualsTheFilesPath_AndTheFolderThePackageScriptStages()
    {
        var task = Assert.Single(Extension.GetProperty("contributions").EnumerateArray(), c => c.GetProperty("type").GetString() == "ms.vss-distributed-task.task");
        Assert.Equal(["ms.vss-distributed-task.tasks"], task.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
        var name = task.GetProperty("properties").GetProperty("name").GetString();

        var files = Assert.Single(Extension.GetProperty("files").EnumerateArray());
        Assert.Equal(name, files.GetProperty("path").GetString());
        Assert.Equal(name, PackageScript.TaskFolder());
    }

    [Fact]
    public void Extension_IsAPrivateAzurePipelinesExtension()
    {
        Assert.Equal(1, Extension.GetProperty("manifestVersion").GetInt32());
        Assert.False(Extension.GetProperty("public").GetBoolean());
        Assert.Equal(["Microsoft.VisualStudio.Services"], Extension.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(["Azure Pipelines"], Extension.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void ExtensionIcon_IsTheIconThePackageScriptDraws()
    {
        var icon = Extension.GetProperty("icons").GetProperty("default").GetString();

        Assert.Equal("images/icon.png", icon);
        Assert.Contains("\"$task_stage/icon.png\"", PackageScript.Text, StringComparison.Ordinal);
        Assert.Contains("cp \"$task_stage/icon.png\" \"$stage/images/icon.png\"", PackageScript.Text, StringComparison.Ordinal);
    }

    private static JsonElement Load(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of(relative)));
        return document.RootElement.Clone();
    }
}
