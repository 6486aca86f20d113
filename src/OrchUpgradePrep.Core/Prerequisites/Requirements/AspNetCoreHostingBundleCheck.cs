using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// The Web API and web console of 2022 and 2025 are ASP.NET Core apps in IIS: they need the Hosting Bundle of a
/// major the target's update level documents (2022 RTM: .NET Core 5; 2022 UR1 and UR2: .NET 6; 2022 UR3: .NET 6 or 8;
/// 2025: .NET 8). A newer major alone is a warning: whether the shipped app rolls forward to it is unconfirmed.
/// </summary>
public sealed class AspNetCoreHostingBundleCheck : ICheck
{
    public const string AspNetCoreRuntime = "Microsoft.AspNetCore.App";

    public string Id => "requirements.aspnetcore-hosting-bundle";
    public string Title => "ASP.NET Core Hosting Bundle for the Web API is installed";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Web;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var level = context.TargetLevel;
        if (table.HostingBundleMajorsFor(level) is not { Count: > 0 } accepted)
        {
            return CheckOutcome.Skipped($"Orchestrator {table.Name} has no ASP.NET Core Web API; no Hosting Bundle is needed.");
        }

        var runtimes = await context.Facts.GetDotNetRuntimesAsync(cancellationToken).ConfigureAwait(false);
        var aspNet = runtimes.Where(r => string.Equals(r.Name, AspNetCoreRuntime, StringComparison.OrdinalIgnoreCase)).ToArray();
        var evidence = new Evidence(context.Facts.SourceDescription, aspNet.Length == 0
            ? $"no {AspNetCoreRuntime} runtime installed"
            : $"{AspNetCoreRuntime} " + string.Join(", ", aspNet.Select(r => r.Version)));
        var majors = aspNet.Select(r => MajorOf(r.Version)).Where(m => m is not null).Select(m => m!.Value).ToArray();
        var products = string.Join(" or ", accepted.Select(Product));
        var newest = accepted.Max();
        var remediation = $"Install the {Product(newest)} Hosting Bundle (ASP.NET Core Runtime {newest}.0 Hosting Bundle) on this web host, then run iisreset. Source: {table.Cite}.";

        if (majors.Intersect(accepted).Order().ToArray() is { Length: > 0 } found)
        {
            return CheckOutcome.Met($"ASP.NET Core {string.Join(", ", found.Select(m => $"{m}.x"))} is installed, as Orchestrator {level.Name}'s Web API needs ({products}).", evidence);
        }

        if (majors.Any(m => m > newest))
        {
            return CheckOutcome.Warning(
                $"Only a newer ASP.NET Core ({string.Join(", ", majors.Where(m => m > newest).Distinct().Select(m => $"{m}.x"))}) is installed; Orchestrator {level.Name} documents the {products} Hosting Bundle, and whether its Web API runs on a newer major is unconfirmed.",
                remediation,
                evidence);
        }

        return CheckOutcome.Unmet($"The {products} Hosting Bundle is not installed; Orchestrator {level.Name}'s Web API and web console need it.", remediation, evidence);
    }

    private static string Product(int major) => major == 5 ? $".NET Core {major}" : $".NET {major}";

    private static int? MajorOf(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
}
