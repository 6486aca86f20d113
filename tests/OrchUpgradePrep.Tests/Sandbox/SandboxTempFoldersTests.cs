using System.Diagnostics;
using OrchUpgradePrep.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox;

public sealed class SandboxTempFoldersTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("orchprep-tempfolders-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void The_folder_of_a_process_that_is_gone_is_removed_and_every_other_stays()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "keeps a process running with sleep(1)");
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var gone = Path.Combine(_temp.FullName, $"orchprep-sandbox-{ExitedProcessId()}-0123456789ab");
        var mine = SandboxTempFolders.Create(_temp.FullName);
        var running = Path.Combine(_temp.FullName, $"orchprep-sandbox-{sleeper.Id}-0123456789ab");
        var olderVersion = Path.Combine(_temp.FullName, "orchprep-sandbox-0123456789ab");
        var someoneElses = Path.Combine(_temp.FullName, "other-1-0123456789ab");
        foreach (var folder in new[] { gone, running, olderVersion, someoneElses })
        {
            Directory.CreateDirectory(Path.Combine(folder, "sql", "backup"));
        }

        var removed = SandboxTempFolders.RemoveOrphans(_temp.FullName);

        Assert.Equal([gone], removed);
        Assert.False(Directory.Exists(gone));
        Assert.All(new[] { mine, running, olderVersion, someoneElses }, f => Assert.True(Directory.Exists(f), f));
        Assert.StartsWith($"orchprep-sandbox-{Environment.ProcessId}-", Path.GetFileName(mine), StringComparison.Ordinal);
        sleeper.Kill();
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.Id;
    }
}
