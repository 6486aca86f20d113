using OrchUpgradePrep.Model;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>Reads one <c>environments.&lt;name&gt;</c> mapping into an <see cref="EnvironmentConfig"/>, reporting every problem.</summary>
internal sealed class EnvironmentReader(ConfigReadContext context)
{
    public EnvironmentConfig? Read(string name, YamlScalarNode nameNode, YamlNode node, string path)
    {
        var section = YamlSection.Open(context, node, path, ConfigKeys.Environment);
        if (section is null)
        {
            return null;
        }

        if (!section.Has("hosts") && !section.Has("sql") && !section.Has("webService"))
        {
            context.Error(nameNode, $"environment '{name}' configures nothing to check; give it at least one of 'hosts', 'sql' or 'webService'.");
        }

        var defaults = new EnvironmentConfig { Name = name };
        var (target, targetRollup) = section.Target("target");
        return new EnvironmentConfig
        {
            Name = name,
            Target = target,
            TargetUpdateRollup = targetRollup,
            Sql = ReadSql(section),
            WebService = ReadWebService(section),
            Hosts = ReadHosts(section),
            Policies = ReadPolicies(section) ?? defaults.Policies,
        };
    }

    private SqlConfig? ReadSql(YamlSection environment)
    {
        if (environment.Section("sql", ConfigKeys.Sql) is not { } sql)
        {
            return null;
        }

        var server = sql.Text("server");
        sql.Require("server");
        var auth = sql.Enum<SqlAuth>("auth");
        var user = sql.Text("user");
        var passwordEnv = sql.EnvironmentVariableName("passwordEnv");
        if (auth == SqlAuth.Sql)
        {
            sql.Require("user", " when auth is 'sql'");
            sql.Require("passwordEnv", " when auth is 'sql' (the name of the variable that holds the password)");
        }

        var defaults = new SqlConfig { Server = "" };
        return server is null
            ? null
            : new SqlConfig
            {
                Server = server,
                Database = sql.Text("database") ?? defaults.Database,
                Auth = auth ?? defaults.Auth,
                User = user,
                PasswordEnv = passwordEnv,
                Encrypt = sql.Enum<SqlEncrypt>("encrypt") ?? defaults.Encrypt,
                TrustServerCertificate = sql.Bool("trustServerCertificate") ?? defaults.TrustServerCertificate,
            };
    }

    private WebServiceConfig? ReadWebService(YamlSection environment)
    {
        if (environment.Section("webService", ConfigKeys.WebService) is not { } web)
        {
            return null;
        }

        var url = web.Url("url");
        web.Require("url");
        if (url is not null && !url.AbsolutePath.TrimEnd('/').EndsWith(".svc", StringComparison.OrdinalIgnoreCase))
        {
            // The 2022/2025 Web API (…/api/) has no confirmed stop request (docs/facts/orchestrator-versions.md#web-api): say so instead of
            // failing later with an Atom parse error.
            web.Context.Error(web.Get("url")!,
                $"'{web.PathOf("url")}' must be the legacy OData web service, e.g. http://orch-web01:81/Orchestrator2012/Orchestrator.svc/ (Orchestrator 2012 – 2019). " +
                "For the 2022/2025 Web API leave webService: out: orchprep then reads and stops runbook jobs through the database (sql:).");
            url = null;
        }

        var auth = web.Enum<WebServiceAuth>("auth");
        var userEnv = web.EnvironmentVariableName("userEnv");
        var passwordEnv = web.EnvironmentVariableName("passwordEnv");
        if (auth == WebServiceAuth.Basic)
        {
            web.Require("userEnv", " when auth is 'basic' (the name of the variable that holds the user)");
            web.Require("passwordEnv", " when auth is 'basic' (the name of the variable that holds the password)");
        }

        return url is null
            ? null
            : new WebServiceConfig { Url = url, Auth = auth ?? WebServiceAuth.Negotiate, UserEnv = userEnv, PasswordEnv = passwordEnv };
    }

    private List<HostConfig> ReadHosts(YamlSection environment)
    {
        var hosts = new List<HostConfig>();
        if (environment.List("hosts") is not { } list)
        {
            return hosts;
        }

        if (list.Children.Count == 0)
        {
            context.Error(list, $"'{environment.PathOf("hosts")}' is empty; list at least one host or remove the key.");
        }

        var firstSeen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{environment.PathOf("hosts")}[{i}]";
            if (YamlSection.Open(context, list.Children[i], path, ConfigKeys.Host) is not { } host)
            {
                continue;
            }

            var name = host.Text("name");
            host.Require("name");
            if (name is not null && !YamlSectionValues.IsName(name))
            {
                context.Error(host.Get("name")!, $"'{path}.name' is '{name}', which is not a host name (letters, digits, '.', '-', '_').");
                name = null;
            }
            else if (name is not null && !firstSeen.TryAdd(name, host.Get("name")!.Start.Line))
            {
                context.Error(host.Get("name")!, $"host '{name}' is listed twice in this environment (first on line {firstSeen[name]}).");
            }

            var roles = ReadRoles(host, path);
            if (name is not null)
            {
                hosts.Add(new HostConfig { Name = name, Roles = roles, Snapshot = host.Text("snapshot") });
            }
        }

        return hosts;
    }

    private List<HostRole> ReadRoles(YamlSection host, string path)
    {
        var roles = new List<HostRole>();
        host.Require("roles", " (one or more of: " + string.Join(", ", WireNames.All<HostRole>()) + ")");
        if (host.List("roles") is not { } list)
        {
            return roles;
        }

        if (list.Children.Count == 0)
        {
            context.Error(list, $"'{path}.roles' is empty; give at least one of: {string.Join(", ", WireNames.All<HostRole>())}.");
        }

        foreach (var item in list.Children)
        {
            context.Visit();
            if (item is not YamlScalarNode { Value: { } text } || YamlNodes.IsNull(item))
            {
                context.Error(item, $"each of '{path}.roles' must be a role name, but one is {YamlNodes.Describe(item)}.");
                continue;
            }

            if (YamlSectionValues.ParseEnum<HostRole>(context, item, $"{path}.roles", text) is { } role)
            {
                if (roles.Contains(role))
                {
                    context.Error(item, $"role '{text}' is listed twice in '{path}.roles'.");
                }
                else
                {
                    roles.Add(role);
                }
            }
        }

        return roles;
    }

    private PoliciesConfig? ReadPolicies(YamlSection environment)
    {
        if (environment.Section("policies", ConfigKeys.Policies) is not { } policies)
        {
            return null;
        }

        var defaults = new PoliciesConfig();
        var (verify, restoreServer) = ReadVerify(policies);
        return new PoliciesConfig
        {
            Drain = ReadDrain(policies) ?? defaults.Drain,
            Backup = ReadBackup(policies) ?? defaults.Backup,
            Verify = verify ?? defaults.Verify,
            RestoreServer = restoreServer,
            Restart = ReadRestart(policies) ?? defaults.Restart,
            // A blank value is refused by Text() ("is empty; give it a value or remove the key").
            UpgradeAccount = policies.Text("upgradeAccount")?.Trim(),
            Services = ReadServices(policies) ?? defaults.Services,
        };
    }

    /// <summary><c>verify: restore</c> (the documented scalar of docs/configuration.md), or <c>verify: { level: restore, restoreServer: "sql02\\inst" }</c>.</summary>
    private static (VerifyLevel? Level, string? RestoreServer) ReadVerify(YamlSection policies)
    {
        if (policies.Get("verify") is not YamlMappingNode)
        {
            return (policies.Enum<VerifyLevel>("verify"), null);
        }

        if (policies.Section("verify", ConfigKeys.Verify) is not { } verify)
        {
            return (null, null);
        }

        var level = verify.Enum<VerifyLevel>("level");
        var server = verify.Text("restoreServer")?.Trim();
        if (server is not null && level != VerifyLevel.Restore)
        {
            // A restore server with no restore would be ignored without a word: refuse it where it is written.
            verify.Context.Error(verify.Get("restoreServer")!,
                $"'{verify.PathOf("restoreServer")}' needs '{verify.PathOf("level")}: restore' (a restore server is only used by the test restore).");
            server = null;
        }

        return (level, server);
    }

    private static ServicePolicy? ReadServices(YamlSection policies)
    {
        if (policies.Section("services", ConfigKeys.Services) is not { } services)
        {
            return null;
        }

        var stopTimeout = services.Duration("stopTimeout");
        if (stopTimeout == TimeSpan.Zero)
        {
            // No wait at all would call every service "did not stop" the moment the stop is sent.
            services.Context.Error(services.Get("stopTimeout")!, $"'{services.PathOf("stopTimeout")}' must be at least 1s.");
            stopTimeout = null;
        }

        return new ServicePolicy { StopTimeout = stopTimeout ?? new ServicePolicy().StopTimeout };
    }

    private static DrainPolicy? ReadDrain(YamlSection policies)
    {
        if (policies.Section("drain", ConfigKeys.Drain) is not { } drain)
        {
            return null;
        }

        var defaults = new DrainPolicy();
        var pollInterval = drain.Duration("pollInterval");
        if (pollInterval == TimeSpan.Zero)
        {
            // Polling with no pause would hammer the Orchestrator database.
            drain.Context.Error(drain.Get("pollInterval")!, $"'{drain.PathOf("pollInterval")}' must be at least 1s.");
            pollInterval = null;
        }

        return new DrainPolicy
        {
            Mode = drain.Enum<DrainMode>("mode") ?? defaults.Mode,
            Timeout = drain.Duration("timeout") ?? defaults.Timeout,
            PollInterval = pollInterval ?? defaults.PollInterval,
            Monitors = drain.Enum<MonitorPolicy>("monitors") ?? defaults.Monitors,
        };
    }

    private static BackupPolicy? ReadBackup(YamlSection policies)
    {
        if (policies.Section("backup", ConfigKeys.Backup) is not { } backup)
        {
            return null;
        }

        var defaults = new BackupPolicy();
        return new BackupPolicy
        {
            Directory = backup.Text("directory"),
            Stripes = backup.Int("stripes", 1, 64) ?? defaults.Stripes,
            Compression = backup.Enum<BackupCompression>("compression") ?? defaults.Compression,
            Keep = backup.Int("keep", 0, 1000) ?? defaults.Keep,
            RemoveUnverified = backup.Bool("removeUnverified") ?? defaults.RemoveUnverified,
            MaxAge = backup.Duration("maxAge") ?? defaults.MaxAge,
        };
    }

    private RestartPolicy? ReadRestart(YamlSection policies)
    {
        if (policies.Section("restart", ConfigKeys.Restart) is not { } restart)
        {
            return null;
        }

        var skipped = new List<SkippedSignal>();
        if (restart.List("skip") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var path = $"{restart.PathOf("skip")}[{i}]";
                if (YamlSection.Open(context, list.Children[i], path, ConfigKeys.Skip) is not { } entry)
                {
                    continue;
                }

                var id = entry.Text("id");
                entry.Require("id", " (the check id to skip, e.g. restart.pending-file-rename)");
                var reason = entry.Text("reason");
                entry.Require("reason", " (why it is safe to skip; it is shown in the report)");
                if (id is not null && reason is not null)
                {
                    skipped.Add(new SkippedSignal(id.Trim(), reason.Trim()));
                }
            }
        }

        return new RestartPolicy { Skip = skipped };
    }
}
