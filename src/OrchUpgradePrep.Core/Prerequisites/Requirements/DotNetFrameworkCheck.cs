using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>.NET Framework 4.x at the target's minimum (the <c>Release</c> DWORD under NDP\v4\Full, newest first),
/// plus 3.5 SP1 where the target still needs it (2012 R2 – 2019).</summary>
public sealed class DotNetFrameworkCheck : ICheck
{
    public const string V4FullKey = @"SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full";
    public const string V35Key = @"SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5";

    public string Id => "requirements.dotnet-framework";
    public string Title => ".NET Framework versions meet the target's requirement";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var registry = context.Facts.Registry;
        var evidence = new List<Evidence>();
        var problems = new List<string>();
        var fixes = new List<string>();

        var v4 = await registry.ReadKeyAsync(V4FullKey, cancellationToken).ConfigureAwait(false);
        if (v4.Presence == RegistryKeyPresence.Unknown)
        {
            return CheckOutcome.Error($"The source does not hold {v4.Location()} ({v4.Source}); export it to check .NET Framework.", new Evidence(v4.Location(), "not exported"));
        }

        DotNetFrameworkRelease? installed = null;
        if (v4.Value("Release") is { Data: uint release } value)
        {
            installed = DotNetFrameworkRelease.FromRelease(release);
            evidence.Add(new Evidence(v4.Location("Release"), $"{value.Describe()} = .NET Framework {installed?.Name ?? "older than 4.5"}"));
        }
        else
        {
            evidence.Add(new Evidence(v4.Location("Release"), v4.Presence == RegistryKeyPresence.Absent ? "key absent: no .NET Framework 4.5 or later" : "value absent"));
        }

        var minimum = table.MinimumNetFramework;
        if (installed is null || installed.MinimumRelease < minimum.MinimumRelease)
        {
            problems.Add($".NET Framework {minimum.Name} or later is not installed");
            fixes.Add($"install .NET Framework {table.RecommendedNetFramework?.Name ?? "4.8"} (at least {minimum.Name})");
        }

        if (table.NetFramework35Sp1Required)
        {
            var v35 = await registry.ReadKeyAsync(V35Key, cancellationToken).ConfigureAwait(false);
            if (v35.Presence == RegistryKeyPresence.Unknown)
            {
                return CheckOutcome.Error($"The source does not hold {v35.Location()} ({v35.Source}); export it to check .NET Framework 3.5 SP1.", [.. evidence, new Evidence(v35.Location(), "not exported")]);
            }

            var hasInstall = v35.Value("Install")?.Data is uint install && install == 1;
            var sp = v35.Value("SP")?.Data as uint?;
            evidence.Add(new Evidence(v35.Location(), v35.Presence == RegistryKeyPresence.Absent ? "key absent" : $"Install {(hasInstall ? 1 : 0)}, SP {sp?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}"));
            if (!hasInstall || sp is null or < 1)
            {
                problems.Add(".NET Framework 3.5 SP1 is not installed");
                fixes.Add("add the .NET Framework 3.5 feature (Install-WindowsFeature NET-Framework-Core)");
            }
        }

        if (problems.Count > 0)
        {
            return CheckOutcome.Unmet(
                $"{string.Join("; ", problems)}; Orchestrator {table.Name} needs it.",
                $"On this host, {string.Join(", and ", fixes)}, then restart if Setup asks. Source: {table.Cite}.",
                [.. evidence]);
        }

        if (table.RecommendedNetFramework is { } recommended && installed!.MinimumRelease < recommended.MinimumRelease)
        {
            return CheckOutcome.Warning(
                $".NET Framework {installed.Name} meets the {minimum.Name} minimum but Orchestrator {table.Name} recommends {recommended.Name} or later.",
                $"Install .NET Framework 4.8 before the upgrade. Source: {table.Cite}.",
                [.. evidence]);
        }

        return CheckOutcome.Met($".NET Framework {installed!.Name}{(table.NetFramework35Sp1Required ? " and 3.5 SP1 meet" : " meets")} Orchestrator {table.Name}'s requirement.{table.UnconfirmedNote}", [.. evidence]);
    }
}
