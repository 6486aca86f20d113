using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// One pending-restart signal on one host (docs/facts/restart-signals.md). Every host, every role. A blocking signal
/// that fires is <c>unmet</c>; an unconfirmed or noisy one is a <c>warning</c> ("Anchor-informed split").
/// Absent = not pending; not exported = error; a read failure propagates (the runner makes it error).
/// </summary>
public abstract class RestartCheck : ICheck
{
    private static readonly IReadOnlySet<HostRole> EveryHost = new HashSet<HostRole>();

    protected RestartCheck(string id, string title, bool blocking)
    {
        Id = id;
        Title = title;
        Blocking = blocking;
    }

    public string Id { get; }
    public string Title { get; }
    public Prerequisite Prerequisite => Prerequisite.Restart;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => EveryHost;

    /// <summary>Whether a firing signal blocks the upgrade (unmet) or only warns.</summary>
    public bool Blocking { get; }

    /// <summary>How to see what set this signal, after "restart the host" (the remediation's second half).</summary>
    protected abstract string HowToSee { get; }

    public abstract Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken);

    protected virtual string Remediation =>
        $"Restart the host before the upgrade, then run `orchprep check --only restart` again. If the signal survives a restart, find what set it: {HowToSee}";

    /// <summary>The signal fired: unmet when it blocks, warning otherwise.</summary>
    protected CheckOutcome Pending(string detail, IEnumerable<Evidence> evidence) =>
        Blocking ? CheckOutcome.Unmet(detail, Remediation, [.. evidence]) : CheckOutcome.Warning(detail, Remediation, [.. evidence]);

    protected CheckOutcome Warning(string detail, IEnumerable<Evidence> evidence) => CheckOutcome.Warning(detail, Remediation, [.. evidence]);

    protected static CheckOutcome NotExported(RegistryKeyRead key, IEnumerable<Evidence> evidence) =>
        CheckOutcome.Error(
            $"The source does not hold {key.Location()} ({key.Source}); export it to check this signal. Not evaluated, never read as \"not pending\".",
            [.. evidence]);

    protected static CheckOutcome WrongType(RegistryKeyRead key, RegistryValue value, string expected) =>
        CheckOutcome.Error(
            $"{key.Location(value.Name)} is {value.TypeName}, expected {expected}: not evaluated (a value of the wrong type is never read as pending or not pending).",
            new Evidence(key.Location(value.Name), value.Describe()));

    /// <summary>Evidence for a key read: present, absent, or not exported (with the source that says so).</summary>
    protected static Evidence KeyEvidence(RegistryKeyRead key) => new(key.Location(), key.Presence switch
    {
        RegistryKeyPresence.Present => "key present",
        RegistryKeyPresence.Absent => "key absent",
        _ => $"not exported ({key.Source})",
    });

    protected static async Task<IReadOnlyList<RegistryKeyRead>> ReadKeysAsync(CheckContext context, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = new List<RegistryKeyRead>();
        foreach (var path in paths)
        {
            keys.Add(await context.Facts.Registry.ReadKeyAsync(path, cancellationToken).ConfigureAwait(false));
        }

        return keys;
    }
}
