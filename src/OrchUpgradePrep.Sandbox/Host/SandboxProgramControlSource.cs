using System.Text.Json.Nodes;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>The sandbox hosts' programs live in their snapshots' host.json: closing one removes it there, so the checks
/// after prepare read it gone. Unreachable hosts refuse, as a real one would.</summary>
/// <param name="latency">How long a program takes to close once asked (the `slow` scenario), so Ctrl+C can land inside
/// it. A program still waiting when the run is cancelled stays open; one that takes longer than the grace is ended at
/// the grace, as the real control ends it.</param>
public sealed class SandboxProgramControlSource(
    string sandboxDirectory,
    IReadOnlyDictionary<string, string> unreachableHosts,
    TimeSpan latency = default,
    TimeProvider? time = null) : IProgramControlSource
{
    public IProgramControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (unreachableHosts.TryGetValue(host.Name, out var reason))
        {
            throw new HostFactsException($"{host.Name}: {reason}");
        }

        return new SnapshotProgramControl(Path.Combine(sandboxDirectory, host.Snapshot ?? Path.Combine("snapshots", host.Name), "host.json"), latency, time ?? TimeProvider.System);
    }

    private sealed class SnapshotProgramControl(string hostJson, TimeSpan latency, TimeProvider time) : IProgramControl
    {
        private readonly Lock _gate = new();

        public async Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsOpen(process))
            {
                return ProgramCloseOutcome.AlreadyGone;
            }

            // The program takes its time to close (a save, a prompt): bounded by the grace, after which it is ended.
            var ended = latency > grace;
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(ended ? grace : latency, time, cancellationToken).ConfigureAwait(false);
            }

            return Remove(process) ? ended ? ProgramCloseOutcome.Ended : ProgramCloseOutcome.Closed : ProgramCloseOutcome.AlreadyGone;
        }

        private bool IsOpen(ProcessInfo process)
        {
            lock (_gate)
            {
                return Find(JsonNode.Parse(File.ReadAllText(hostJson))!.AsObject(), process) is not null;
            }
        }

        private bool Remove(ProcessInfo process)
        {
            lock (_gate)
            {
                var document = JsonNode.Parse(File.ReadAllText(hostJson))!.AsObject();
                if (Find(document, process) is not { } match)
                {
                    return false;
                }

                document["processes"]!.AsArray().Remove(match);
                File.WriteAllText(hostJson, document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return true;
            }
        }

        private static JsonNode? Find(JsonObject document, ProcessInfo process) =>
            document["processes"]?.AsArray().FirstOrDefault(p => p?["processId"]?.GetValue<int>() == process.ProcessId);
    }
}
