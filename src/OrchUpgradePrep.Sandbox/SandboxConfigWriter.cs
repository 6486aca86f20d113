using System.Text;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Sandbox;

/// <summary>Writes sandbox.orchprep.yml so that a plain `orchprep check --config sandbox.orchprep.yml` runs against the sandbox.</summary>
public static class SandboxConfigWriter
{
    public static string Render(SandboxSession session, string configDirectory)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine($"# Written by `orchprep sandbox --scenario {session.Scenario}`: the simulated environment, as a real config would describe it.");
        yaml.AppendLine("environments:");
        yaml.AppendLine($"  {session.Environment.Name}:");
        yaml.AppendLine($"    target: \"{session.Environment.Target!.Value.ToName()}\"");
        yaml.AppendLine("    hosts:");
        foreach (var host in session.Environment.Hosts)
        {
            var snapshot = Path.GetRelativePath(configDirectory, Path.Combine(session.Directory, host.Snapshot!)).Replace('\\', '/');
            yaml.AppendLine($"      - name: {host.Name}");
            yaml.AppendLine($"        roles: [{string.Join(", ", host.Roles.Select(r => WireNames.Of(r)))}]");
            yaml.AppendLine($"        snapshot: \"{snapshot}\"");
        }

        return yaml.ToString();
    }
}
