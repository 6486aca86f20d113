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

        var policies = env.Policies;
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
                Verify = o.Verify ?? policies.Verify,
            },
        };
    }
}
