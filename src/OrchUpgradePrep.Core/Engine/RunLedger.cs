using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Engine;

/// <summary>What a run's steps recorded so far, in the order they ran; the engine's result once the last step is done.</summary>
public sealed class RunLedger
{
    private readonly List<CheckResult> _checks = [];
    private readonly List<ActionRecord> _actions = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<string> _hazards = new(StringComparer.Ordinal);

    public IReadOnlyList<CheckResult> Checks => _checks;

    public IReadOnlyList<ActionRecord> Actions => _actions;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Verdict ids that left the world unsafe for later steps (see <see cref="StepOutcome.Hazards"/>).</summary>
    public IReadOnlySet<string> Hazards => _hazards;

    /// <summary>A step was ended by Ctrl+C: no later step starts.</summary>
    public bool Cancelled { get; private set; }

    internal void Add(StepOutcome outcome)
    {
        _checks.AddRange(outcome.Checks);
        _actions.AddRange(outcome.Actions);
        _notes.AddRange(outcome.Notes);
        _hazards.UnionWith(outcome.Hazards);
        Cancelled |= outcome.Cancelled;
    }
}
