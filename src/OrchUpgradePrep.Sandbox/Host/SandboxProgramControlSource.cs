using System.Text.Json.Nodes;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>The sandbox hosts' programs live in their snapshots' host.json: closing one removes it there, so the checks
/// after prepare read it gone. Unreachable hosts refuse, as a real one would.</summary>
public sealed class SandboxProgramControlSource(string sandboxDirectory, IReadOnlyDictionary<string, string> unreachableHosts) : IProgramControlSource
{
    public IProgramControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (unreachableHosts.TryGetValue(host.Name, out var reason))
        {
            throw new HostFactsException($"{host.Name}: {reason}");
        }

        return new SnapshotProgramControl(Path.Combine(sandboxDirectory, host.Snapshot ?? Path.Combine("snapshots", host.Name), "host.json"));
    }

    private sealed class SnapshotProgramControl(string hostJson) : IProgramControl
    {
        private readonly Lock _gate = new();

        public Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                var document = JsonNode.Parse(File.ReadAllText(hostJson))!.AsObject();
                var processes = document["processes"]?.AsArray();
                var match = processes?.FirstOrDefault(p => p?["processId"]?.GetValue<int>() == process.ProcessId);
                if (match is null)
                {
                    return Task.FromResult(ProgramCloseOutcome.AlreadyGone);
                }

                processes!.Remove(match);
                File.WriteAllText(hostJson, document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(ProgramCloseOutcome.Closed);
            }
        }
    }
}
