using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Host;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Host;

/// <summary>The sandbox's program control edits the host snapshot; its latency (the `slow` scenario) runs on the
/// TimeProvider, is bounded by the grace and honours Ctrl+C.</summary>
public sealed class SandboxProgramControlSourceTests : IDisposable
{
    private static readonly HostConfig Host = new() { Name = "orch-ms01", Roles = [HostRole.ManagementServer] };
    private static readonly ProcessInfo Designer = new(7344, "RunbookDesigner.exe", null, null, 2);
    private static readonly ProcessInfo Tester = new(7412, "RunbookTester.exe", null, null, 2);

    private readonly DirectoryInfo _sandbox = Directory.CreateTempSubdirectory("orchprep-programs-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public SandboxProgramControlSourceTests()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_sandbox.FullName, "snapshots", Host.Name));
        File.WriteAllText(Path.Combine(folder.FullName, "host.json"),
            new JsonObject { ["processes"] = new JsonArray(Process(Designer), Process(Tester)) }.ToJsonString());
    }

    public void Dispose() => _sandbox.Delete(recursive: true);

    [Fact]
    public async Task Without_latency_a_program_closes_at_once_and_is_gone_from_the_snapshot()
    {
        var control = new SandboxProgramControlSource(_sandbox.FullName, new Dictionary<string, string>()).For(Host);

        Assert.Equal(ProgramCloseOutcome.Closed, await control.CloseAsync(Designer, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(ProgramCloseOutcome.AlreadyGone, await control.CloseAsync(Designer, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal([Tester.ProcessId], OpenIds());
    }

    [Fact]
    public async Task With_latency_the_program_closes_only_once_the_latency_has_passed()
    {
        var control = new SandboxProgramControlSource(_sandbox.FullName, new Dictionary<string, string>(), TimeSpan.FromSeconds(2), _time).For(Host);

        var closing = control.CloseAsync(Designer, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(closing.IsCompleted);
        Assert.Contains(Designer.ProcessId, OpenIds());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ProgramCloseOutcome.Closed, await closing);
        Assert.Equal([Tester.ProcessId], OpenIds());
    }

    [Fact]
    public async Task Ctrl_C_while_a_program_takes_its_time_to_close_leaves_it_open()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var control = new SandboxProgramControlSource(_sandbox.FullName, new Dictionary<string, string>(), TimeSpan.FromSeconds(2), _time).For(Host);

        var closing = control.CloseAsync(Designer, TimeSpan.FromSeconds(30), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => closing);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([Designer.ProcessId, Tester.ProcessId], OpenIds());
    }

    [Fact]
    public async Task A_program_slower_than_the_grace_is_ended_at_the_grace()
    {
        var control = new SandboxProgramControlSource(_sandbox.FullName, new Dictionary<string, string>(), TimeSpan.FromMinutes(10), _time).For(Host);

        var closing = control.CloseAsync(Designer, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(ProgramCloseOutcome.Ended, await closing);
        Assert.Equal([Tester.ProcessId], OpenIds());
    }

    private static JsonObject Process(ProcessInfo process) => new() { ["processId"] = process.ProcessId, ["name"] = process.Name, ["sessionId"] = process.SessionId };

    private int[] OpenIds() =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(_sandbox.FullName, "snapshots", Host.Name, "host.json")))!["processes"]!.AsArray().Select(p => p!["processId"]!.GetValue<int>())];
}
