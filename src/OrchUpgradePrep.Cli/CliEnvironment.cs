using System.IO.Abstractions;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Platform.HostFacts.Windows;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Cli;

/// <summary>The process boundary of the CLI: streams, environment variables, files, clock, machine.
/// Program.cs passes the real ones; tests pass their own.</summary>
internal sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required Func<string, string?> GetEnvironmentVariable { get; init; }
    public required IFileSystem FileSystem { get; init; }
    public required string CurrentDirectory { get; init; }
    public required TimeProvider Time { get; init; }
    public required string LocalMachineName { get; init; }

    /// <summary>What showed that orchprep runs in a container (then "this machine" is never read as a host); null outside one.</summary>
    public string? ContainerEvidence { get; init; }

    /// <summary>Creates the live adapter for this machine; null where there is none (not Windows).</summary>
    public Func<IHostFacts>? LiveLocalHost { get; init; }

    /// <summary>Colour and live redraws only when a person watches a terminal, never in CI logs.</summary>
    public bool IsInteractiveTerminal { get; init; }

    /// <summary>The width of the terminal stderr writes to, for progress redrawn in place; null when stderr is not an
    /// interactive terminal (a pipeline log), where progress is printed as lines.</summary>
    public int? LiveLineWidth { get; init; }

    public static CliEnvironment FromProcess()
    {
        var interactive = !Console.IsOutputRedirected &&
                          string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) &&
                          !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return new()
        {
            Out = Console.Out,
            Error = Console.Error,
            GetEnvironmentVariable = Environment.GetEnvironmentVariable,
            FileSystem = new FileSystem(),
            CurrentDirectory = Environment.CurrentDirectory,
            Time = TimeProvider.System,
            LocalMachineName = Environment.MachineName,
            LiveLocalHost = OperatingSystem.IsWindows() ? () => OperatingSystem.IsWindows() ? new LiveWindowsHostFacts() : throw new PlatformNotSupportedException() : null,
            ContainerEvidence = ContainerDetection.Detect(Environment.GetEnvironmentVariable, new FileSystem(),
                OperatingSystem.IsWindows() ? () => OperatingSystem.IsWindows() ? ContainerDetection.ReadWindowsContainerType() : null : null),
            IsInteractiveTerminal = interactive,
            // Progress goes to stderr: a live line also needs stderr to be the terminal.
            LiveLineWidth = interactive && !Console.IsErrorRedirected ? ErrorTerminalWidth() : null,
        };
    }

    // Console.WindowWidth throws or answers 0 where there is no console window (a service, some terminals): then no live line.
    private static int? ErrorTerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
