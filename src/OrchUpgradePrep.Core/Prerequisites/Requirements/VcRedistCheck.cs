using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// Orchestrator 2025's Setup needs the Visual C++ 2015–2022 Redistributable (x64) 14.34 or later before it runs.
/// The x64 runtime registers itself under VisualStudio\14.0\VC\Runtimes\x64: <c>Installed</c> (DWORD 1),
/// <c>Major</c>/<c>Minor</c>/<c>Bld</c> (DWORDs) and <c>Version</c> ("v14.34.31931.00"); the DWORDs win, the string is the fallback.
/// </summary>
public sealed class VcRedistCheck : ICheck
{
    public const string RuntimeKey = @"SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64";
    public const string DownloadPage = "https://learn.microsoft.com/cpp/windows/latest-supported-vc-redist";

    public string Id => "requirements.vcredist";
    public string Title => "Visual C++ 2015–2022 Redistributable (x64) meets the target's version";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    // Every Orchestrator host, Runbook Designer machines included: Setup runs on each of them, and a driver or runtime
    // is read from the Uninstall entries and the registry the same way on a client OS.
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var level = context.TargetLevel;
        if (table.MinimumVcRedist is not { } minimum)
        {
            return CheckOutcome.Skipped($"Orchestrator {table.Name}'s system requirements name no Visual C++ Redistributable (2025 needs 14.34 or later).");
        }

        var key = await context.Facts.Registry.ReadKeyAsync(RuntimeKey, cancellationToken).ConfigureAwait(false);
        var needed = $"{minimum.ToString(2)} or later";
        var remediation = $"Install the latest Visual C++ 2015–2022 Redistributable (x64) on this host before Setup ({DownloadPage}). Source: {table.Cite}.";
        switch (key.Presence)
        {
            case RegistryKeyPresence.Unknown:
                return CheckOutcome.Error(
                    $"Whether the Visual C++ Redistributable is installed is unknown: the source does not hold {key.Location()} ({key.Source}). Export it (docs/snapshots.md).",
                    new Evidence(key.Location(), "not exported"));
            case RegistryKeyPresence.Absent:
                return CheckOutcome.Unmet(
                    $"The Visual C++ 2015–2022 Redistributable (x64) is not installed; Orchestrator {level.Name} needs {needed}.",
                    remediation,
                    new Evidence(key.Location(), $"key absent ({key.Source})"));
        }

        var installed = key.Value("Installed")?.Data is uint flag && flag == 1;
        var version = VersionOf(key);
        var evidence = new Evidence(key.Location(),
            $"Installed {(key.Value("Installed")?.Data is uint i ? i.ToString(CultureInfo.InvariantCulture) : "(none)")}, " +
            $"Version {(key.Value("Version")?.Data is string text ? $"\"{text}\"" : "(none)")}, Major/Minor/Bld {Dword(key, "Major")}/{Dword(key, "Minor")}/{Dword(key, "Bld")}");

        if (!installed)
        {
            return CheckOutcome.Unmet($"The Visual C++ 2015–2022 Redistributable (x64) key exists but Installed is not 1; Orchestrator {level.Name} needs {needed}.", remediation, evidence);
        }

        if (version is null)
        {
            return CheckOutcome.Error("The Visual C++ Redistributable (x64) is installed but its version is unreadable (no Major/Minor DWORDs, no \"v14.x\" Version string).", evidence);
        }

        return version >= minimum
            ? CheckOutcome.Met($"Visual C++ Redistributable (x64) {version} is installed; Orchestrator {level.Name} needs {needed}.", evidence)
            : CheckOutcome.Unmet($"Visual C++ Redistributable (x64) {version} is older than the {needed} Orchestrator {level.Name} needs.", remediation, evidence);
    }

    private static Version? VersionOf(RegistryKeyRead key)
    {
        if (key.Value("Major")?.Data is uint major && key.Value("Minor")?.Data is uint minor)
        {
            return key.Value("Bld")?.Data is uint build
                ? new Version((int)major, (int)minor, (int)build)
                : new Version((int)major, (int)minor);
        }

        // "v14.34.31931.00": the leading v is what the runtime installer writes.
        return key.Value("Version")?.Data is string text && Version.TryParse(text.Trim().TrimStart('v', 'V'), out var parsed) ? parsed : null;
    }

    private static string Dword(RegistryKeyRead key, string name) =>
        key.Value(name)?.Data is uint value ? value.ToString(CultureInfo.InvariantCulture) : "-";
}
