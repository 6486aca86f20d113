using System.IO.Abstractions;
using OrchUpgradePrep.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox;

/// <summary>Where the sandbox keeps its world between prepare and resume: the folder layout docs/outputs.md describes.</summary>
public sealed class SandboxWorldStoreTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-world-");

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData("busy", "sandbox-world-busy.json")]
    [InlineData("Programs-Open", "sandbox-world-programs-open.json")]
    public void TheWorld_IsOneFilePerScenario_BesideTheState(string scenario, string file)
    {
        var store = new SandboxWorldStore(new FileSystem(), _work.FullName);

        Assert.Equal(Path.Combine(_work.FullName, file), store.WorldFile(scenario));
    }

    [Fact]
    public void Prepare_CreatesTheServersDisk_Resume_OnlyFindsIt()
    {
        var store = new SandboxWorldStore(new FileSystem(), _work.FullName);
        var disk = Path.Combine(_work.FullName, SandboxWorldStore.ServerDiskFolder);

        Assert.Null(store.ServerDisk(create: false));
        Assert.False(Directory.Exists(disk));

        Assert.Equal(disk, store.ServerDisk(create: true));
        Assert.True(Directory.Exists(disk));
        Assert.Equal(disk, store.ServerDisk(create: false));
    }

    [Fact]
    public void AServersDiskThatCannotBeCreated_IsNull_SoTheSandboxUsesItsTempFolder()
    {
        // A file where the folder must go: creating the folder fails as on a read-only or full share.
        File.WriteAllText(Path.Combine(_work.FullName, SandboxWorldStore.ServerDiskFolder), "not a folder");
        var store = new SandboxWorldStore(new FileSystem(), _work.FullName);

        Assert.Null(store.ServerDisk(create: true));
    }

    [Fact]
    public async Task Save_WritesTheSimulatedOrchestrator_WhereTheNextRunReadsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new SandboxWorldStore(new FileSystem(), Path.Combine(_work.FullName, "out"));
        string saved;
        await using (var session = await SandboxSession.StartAsync("busy", TimeProvider.System, ct, directory: Path.Combine(_work.FullName, "first")))
        {
            await store.SaveAsync(session);
            saved = session.Orchestrator.Export();
        }

        Assert.Equal(saved, await File.ReadAllTextAsync(store.WorldFile("busy"), ct));
        await using var next = await SandboxSession.StartAsync("busy", TimeProvider.System, ct, directory: Path.Combine(_work.FullName, "second"), worldFile: store.WorldFile("busy"));
        Assert.Equal(saved, next.Orchestrator.Export());
    }
}
