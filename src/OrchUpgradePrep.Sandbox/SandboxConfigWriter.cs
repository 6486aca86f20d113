using System.Text;
using OrchUpgradePrep.Config;
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
        if (session.Environment.Sql is { } sql)
        {
            yaml.AppendLine("    sql:");
            yaml.AppendLine($"      server: \"{sql.Server}\"");
            yaml.AppendLine($"      database: {sql.Database}");
            yaml.AppendLine("      auth: sql");
            yaml.AppendLine($"      user: {sql.User}");
            yaml.AppendLine($"      passwordEnv: {sql.PasswordEnv}   # default password: sandbox");
            yaml.AppendLine("      encrypt: optional");
        }

        if (session.Environment.WebService is { } web)
        {
            yaml.AppendLine("    webService:");
            yaml.AppendLine($"      url: {web.Url}");
            yaml.AppendLine("      auth: basic");
            yaml.AppendLine($"      userEnv: {web.UserEnv}   # default user: orchprep");
            yaml.AppendLine($"      passwordEnv: {web.PasswordEnv}");
        }

        yaml.AppendLine("    hosts:");
        foreach (var host in session.Environment.Hosts)
        {
            yaml.AppendLine($"      - name: {host.Name}");
            yaml.AppendLine($"        roles: [{string.Join(", ", host.Roles.Select(r => WireNames.Of(r)))}]");
            if (host.Snapshot is not null)
            {
                var snapshot = Path.GetRelativePath(configDirectory, Path.Combine(session.Directory, host.Snapshot)).Replace('\\', '/');
                yaml.AppendLine($"        snapshot: \"{snapshot}\"");
            }
        }

        if (session.Environment.Policies.Backup.Directory is { } backupDirectory)
        {
            yaml.AppendLine("    policies:");
            yaml.AppendLine($"      backup: {{ directory: '{backupDirectory.Replace("'", "''", StringComparison.Ordinal)}' }}");
            if (session.RestoreServer is { } restoreServer)
            {
                // The second instance by its listener: outside the sandbox its world name (ORCH-SQL02\ORCH) resolves nowhere.
                yaml.AppendLine($"      verify: {{ level: restore, restoreServer: '{restoreServer.DataSource}' }}");
            }

            if (session.Environment.Policies.UpgradeAccount is { } account)
            {
                yaml.AppendLine($"      upgradeAccount: '{account.Replace("'", "''", StringComparison.Ordinal)}'");
            }

            if (session.Environment.Policies.Services != new ServicePolicy())
            {
                yaml.AppendLine($"      services: {{ stopTimeout: {Duration.Format(session.Environment.Policies.Services.StopTimeout)} }}");
            }
        }

        return yaml.ToString();
    }
}
