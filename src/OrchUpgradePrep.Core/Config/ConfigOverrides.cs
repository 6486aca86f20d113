namespace OrchUpgradePrep.Config;

/// <summary>Applies <see cref="RunOverrides"/> to an environment. Pure: the input is not changed.</summary>
public static class ConfigOverrides
{
    public static EnvironmentConfig Apply(EnvironmentConfig env, RunOverrides o)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        if (o.DrainTimeout is { } timeout && timeout < TimeSpan.Zero)
        {
            throw new ConfigException($"the drain timeout must not be negative ({timeout}).");
        }

        if (o.BackupDirectory is not null && string.IsNullOrWhiteSpace(o.BackupDirectory))
        {
            throw new ConfigException("the backup directory override is empty; give a directory or leave it out.");
        }

        if (o.RestoreServer is not null && string.IsNullOrWhiteSpace(o.RestoreServer))
        {
            throw new ConfigException("the restore server override is empty; give an instance (server, server\\instance or server,port) or leave it out.");
        }

        var policies = env.Policies;
        var verify = o.Verify ?? policies.Verify;
        if (o.RestoreServer is not null && verify != VerifyLevel.Restore)
        {
            throw new ConfigException($"--restore-server ({o.RestoreServer.Trim()}) needs --verify restore (or policies.verify: restore): only the test restore runs on another server.");
        }

        // --verify verifyonly on the command line wins over a file's restore server: no restore, so no server.
        var restoreServer = verify == VerifyLevel.Restore ? o.RestoreServer?.Trim() ?? policies.RestoreServer : null;
        return env with
        {
            Target = o.Target ?? env.Target,
            // --target names a whole level: a bare "2025" means 2025's newest level, not the file's rollup.
            TargetUpdateRollup = o.Target is null ? env.TargetUpdateRollup : o.TargetUpdateRollup,
            Policies = policies with
            {
                Drain = policies.Drain with
                {
                    Mode = o.Drain ?? policies.Drain.Mode,
                    Timeout = o.DrainTimeout ?? policies.Drain.Timeout,
                },
                Backup = policies.Backup with { Directory = o.BackupDirectory ?? policies.Backup.Directory },
                Verify = verify,
                RestoreServer = restoreServer,
            },
        };
    }
}
