using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Ports;

/// <summary>Ends programs on a configured host (prepare --close-programs only).</summary>
public interface IProgramControlSource
{
    /// <summary>Throws <see cref="HostFactsException"/> when programs on that host cannot be ended from here (snapshot, remote host).</summary>
    IProgramControl For(HostConfig host);
}

public interface IProgramControl
{
    /// <summary>Asks the program to close (its main window gets a close request, as when its user clicks X); ends it only
    /// when it is still running after <paramref name="grace"/>.</summary>
    Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken);
}

public enum ProgramCloseOutcome
{
    /// <summary>It closed when asked.</summary>
    Closed,

    /// <summary>It did not close within the grace period and was ended.</summary>
    Ended,

    /// <summary>It had already exited.</summary>
    AlreadyGone,
}
