using OrchUpgradePrep.Prerequisites.Programs;
using OrchUpgradePrep.Prerequisites.Runbooks;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// A prepare step on stderr: one line, flushed at once, before each action that can wait a long time (a Runbook Service
/// stop up to 2 minutes, a program close up to its grace), so a pipeline log shows what prepare waits for.
/// </summary>
internal sealed class StepProgressWriter<T>(TextWriter error, Func<T, string> line) : IProgress<T>
{
    public void Report(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        error.WriteLine(line(value));
        error.Flush();
    }
}

/// <summary>The lines of the steps that report before each action (tests aim Ctrl+C at them: keep their prefixes).</summary>
internal static class StepProgress
{
    public static StepProgressWriter<ServiceStopping> ServiceStops(TextWriter error) =>
        new(error, s => s.Bound is { } bound
            ? $"orchprep: block-starts: stopping {s.DisplayName} ({s.Name}) on {s.Host} (waiting up to {Config.Duration.Format(bound)} for Stopped)"
            : $"orchprep: block-starts: stopping {s.DisplayName} ({s.Name}) on {s.Host}");

    public static StepProgressWriter<ProgramClosing> ProgramCloses(TextWriter error) =>
        new(error, p => $"orchprep: close-programs: closing {p.Name} (PID {p.ProcessId}, {p.Who}, session {p.SessionId}) on {p.Host}");
}
