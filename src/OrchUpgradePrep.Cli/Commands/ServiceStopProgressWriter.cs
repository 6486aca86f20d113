using OrchUpgradePrep.Prepare.BlockStarts;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Block starts on stderr: a line before each Runbook Service stop, which can take minutes on a real server,
/// so a pipeline log shows what prepare waits for.</summary>
internal sealed class ServiceStopProgressWriter(TextWriter error) : IProgress<ServiceStopping>
{
    public void Report(ServiceStopping value)
    {
        ArgumentNullException.ThrowIfNull(value);
        error.WriteLine($"orchprep: block-starts: stopping {value.DisplayName} ({value.Name}) on {value.Host}");
        error.Flush();
    }
}
