using OrchUpgradePrep.Prepare.ClosePrograms;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Close programs on stderr: a line before each program is asked to close, which can take up to the grace
/// period, so a pipeline log shows whose program prepare waits for.</summary>
internal sealed class ProgramCloseProgressWriter(TextWriter error) : IProgress<ProgramClosing>
{
    public void Report(ProgramClosing value)
    {
        ArgumentNullException.ThrowIfNull(value);
        error.WriteLine($"orchprep: close-programs: closing {value.Name} (PID {value.ProcessId}, {value.Who}, session {value.SessionId}) on {value.Host}");
        error.Flush();
    }
}
