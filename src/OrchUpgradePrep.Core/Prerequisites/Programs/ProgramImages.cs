using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>A program known by its image (executable file) name, as Win32_Process.Name reports it.</summary>
internal sealed record ProgramImage(string ImageName, string Program, bool NameUnconfirmed = false)
{
    /// <summary>Windows file names are case-insensitive; some sources drop the ".exe".</summary>
    public bool Matches(ProcessInfo process) =>
        string.Equals(process.Name, ImageName, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(process.Name + ".exe", ImageName, StringComparison.OrdinalIgnoreCase);

    public string Describe() => NameUnconfirmed ? $"{Program}, image name unconfirmed" : Program;
}

/// <summary>The images the programs checks look for (docs/facts/host-facts.md#programs, docs/facts/orchestrator-versions.md#services).
/// Orchestrator's services and <c>PolicyModule.exe</c> are not here: they are runbooks and services, not programs.</summary>
internal static class ProgramImages
{
    public static IReadOnlyList<ProgramImage> OrchestratorDesktop { get; } =
    [
        new("RunbookDesigner.exe", "Runbook Designer"),

        // The trace-log key spells it with a space: match both.
        new("RunbookTester.exe", "Runbook Tester"),
        new("Runbook Tester.exe", "Runbook Tester"),
        new("DeploymentManager.exe", "Deployment Manager", NameUnconfirmed: true),
    ];

    public static ProgramImage OrchestratorSetup { get; } = new("SetupOrchestrator.exe", "Orchestrator Setup");

    public static ProgramImage WindowsInstaller { get; } = new("msiexec.exe", "Windows Installer");

    public static IReadOnlyList<ProgramImage> Installers { get; } = [OrchestratorSetup, WindowsInstaller];
}
