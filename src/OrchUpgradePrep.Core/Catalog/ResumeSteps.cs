using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Catalog;

/// <summary>
/// resume's steps in order — read what prepare recorded (prepare-state.json), then start it again and rewrite the file with
/// what could not be started — with what makes the second one start: a state file that lists something to undo.
/// </summary>
public static class ResumeSteps
{
    /// <summary>Left by the first step when resume's verdict is already given: no state file (--if-present), one that lists
    /// nothing, or one that cannot be read. Nothing is started then.</summary>
    public const string NothingToStart = "prepare-state.nothing-to-start";

    public const string NothingToStartReason = "not started: prepare-state.json lists nothing to undo, or cannot be read";

    /// <summary>The steps in resume's order, the second given its condition.</summary>
    public static IReadOnlyList<RunStep> InOrder(RunStep readState, RunStep startAgain) =>
    [
        readState,
        startAgain with { Requires = [new StepPrecondition(NothingToStart, NothingToStartReason)] },
    ];
}
