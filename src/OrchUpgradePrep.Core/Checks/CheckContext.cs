using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Checks;

/// <summary>What a check may read. <see cref="Host"/> and <see cref="HostFacts"/> are set for per-host checks.</summary>
public sealed record CheckContext
{
    public required EnvironmentConfig Environment { get; init; }
    public required TargetVersion Target { get; init; }

    /// <summary>The update level of <see cref="Target"/> the requirement checks judge against: the one the config or
    /// --target named, else the newest orchprep knows ("2022" → 2022 UR3).</summary>
    public TargetLevel TargetLevel
    {
        get => _targetLevel is { } level && level.Version == Target ? level : TargetLevels.Latest(Target);
        init => _targetLevel = value;
    }

    private readonly TargetLevel? _targetLevel;
    public HostConfig? Host { get; init; }
    public IHostFacts? HostFacts { get; init; }
    public required TimeProvider Time { get; init; }

    /// <summary>The account orchprep runs as (DOMAIN\user): what policies.upgradeAccount defaults to.</summary>
    public string RunAs { get; init; } = $@"{System.Environment.UserDomainName}\{System.Environment.UserName}";

    /// <summary>The environment's SQL Server; null when the config has no <c>sql:</c> (SQL checks are then skipped).</summary>
    public ISqlConnector? Sql { get; init; }

    /// <summary>The runner's own file system (backup shares it can reach); null when the run gives none.</summary>
    public System.IO.Abstractions.IFileSystem? FileSystem { get; init; }

    /// <summary>The environment's runbook jobs (web service and/or database), read once per run; null when the run gives none.</summary>
    public IRunbookJobs? Runbooks { get; init; }

    /// <summary>The host's facts; a per-host check may rely on them being present.</summary>
    public IHostFacts Facts => HostFacts ?? throw new InvalidOperationException("This check needs a host; it was run at environment scope.");
}
