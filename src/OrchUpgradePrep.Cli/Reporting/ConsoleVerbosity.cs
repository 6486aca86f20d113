using OrchUpgradePrep.Reporting;

namespace OrchUpgradePrep.Cli.Reporting;

/// <summary>How much the console report and progress say. Files (report.json/md, junit.xml) always hold everything.</summary>
public enum ConsoleVerbosity
{
    /// <summary>Only what needs attention (every non-met check in full), the backup files and the verdict line.</summary>
    Quiet,

    /// <summary>The default: non-met checks in full, met and skipped ones as one count per prerequisite and host; actions.</summary>
    Normal,

    /// <summary>Every check on its own line (what orchprep printed before --verbosity existed).</summary>
    Detailed,

    /// <summary>Detailed, plus the evidence and duration of met checks and every progress step: for debugging a run
    /// (Azure Pipelines' System.Debug=true and GitHub's RUNNER_DEBUG=1 turn it on).</summary>
    Diagnostic,
}
