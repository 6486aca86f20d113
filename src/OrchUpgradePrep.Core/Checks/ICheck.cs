using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Checks;

/// <summary>
/// One prerequisite check: one signal, one file, one help page (docs/checks/&lt;id&gt;.md).
/// Checks read the world only through the ports in <see cref="CheckContext"/> and never print.
/// </summary>
public interface ICheck
{
    /// <summary><c>prerequisite.signal</c>, e.g. <c>requirements.os-version</c>. Stable: reports and skips name it.</summary>
    string Id { get; }

    string Title { get; }

    Prerequisite Prerequisite { get; }

    /// <summary>Per host (run once for every host that has one of <see cref="Roles"/>) or once per environment.</summary>
    CheckScope Scope { get; }

    /// <summary>Roles the check applies to; empty = every host.</summary>
    IReadOnlySet<HostRole> Roles { get; }

    /// <summary>Evaluates the check. Throwing is allowed: the runner records it as <c>error</c> with the message.</summary>
    Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken);
}

public enum CheckScope
{
    PerHost,
    Environment,
}
