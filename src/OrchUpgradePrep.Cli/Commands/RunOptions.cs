using System.CommandLine;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>The options of check / prepare / resume (docs/commands.md). Each also reads ORCHPREP_&lt;OPTION&gt;.</summary>
internal sealed class RunOptions
{
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "orchprep.yml to read (default: ./orchprep.yml). Env: ORCHPREP_CONFIG",
        HelpName = "file",
    };

    public Option<string?> Environment { get; } = new("--environment", "-e")
    {
        Description = "Environment of the config to check (dev, test, prod, …). Env: ORCHPREP_ENVIRONMENT",
        HelpName = "name",
    };

    public Option<string?> Target { get; } = new("--target")
    {
        Description = $"Orchestrator version to upgrade to: {string.Join("|", TargetVersionNames.All)}, optionally with its update level (2022UR3, \"2022 UR3\"; default: the newest orchprep knows). Env: ORCHPREP_TARGET",
        HelpName = "version",
    };

    public Option<string?> Sandbox { get; } = new("--sandbox")
    {
        Description = "Run against the built-in simulated environment (its own environment: not with --config or --environment); " +
            "scenario as --sandbox=NAME or a known name after it (default healthy). Env: ORCHPREP_SANDBOX",
        HelpName = "scenario",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = SandboxScenarioToken,
    };

    public Option<bool> IfPresent { get; } = new("--if-present")
    {
        Description = "resume: a missing prepare-state.json is fine (exit 0, nothing to undo), for an always-run cleanup step. Env: ORCHPREP_IF_PRESENT=true",
    };

    public Option<string[]> Format { get; } = new("--format", "-f")
    {
        Description = "What to print: console|json|markdown|junit (repeatable). Env: ORCHPREP_FORMAT (comma-separated)",
        HelpName = "format",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Verbosity { get; } = CreateVerbosity();

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Folder to write report.json, report.md and junit.xml to. Env: ORCHPREP_OUTPUT",
        HelpName = "dir",
    };

    public Option<string[]> Only { get; } = new("--only")
    {
        Description = "Run only these check ids or prerequisites (repeatable). Env: ORCHPREP_ONLY",
        HelpName = "id",
    };

    public Option<string[]> Skip { get; } = new("--skip")
    {
        Description = "Report these check ids or prerequisites as skipped (repeatable). Env: ORCHPREP_SKIP",
        HelpName = "id",
    };

    public Option<string?> CheckTimeout { get; } = new("--check-timeout")
    {
        Description = "Time one check may take before it is an error (default 2m). Env: ORCHPREP_CHECK_TIMEOUT",
        HelpName = "duration",
    };

    public Option<string?> Deadline { get; } = new("--deadline")
    {
        Description = "Time all checks together may take (default 15m); what is still running then is an error. Env: ORCHPREP_DEADLINE",
        HelpName = "duration",
    };

    public Option<bool> FailOnWarning { get; } = new("--fail-on-warning")
    {
        Description = "Treat a warning as unmet: exit 1 instead of 0. Env: ORCHPREP_FAIL_ON_WARNING=true",
    };

    public Option<bool> PublishCheckRun { get; } = new("--publish-check-run")
    {
        Description = "In a GitHub workflow: also publish the report as a check run on the commit (GITHUB_TOKEN with checks: write, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_API_URL). Env: ORCHPREP_PUBLISH_CHECK_RUN=true",
    };

    public Option<string?> Drain { get; } = new("--drain")
    {
        Description = "prepare: wait for running runbooks, or stop what still runs after the timeout: wait|stop. Env: ORCHPREP_DRAIN",
        HelpName = "mode",
    };

    public Option<string?> DrainTimeout { get; } = new("--drain-timeout")
    {
        Description = "prepare: how long to wait for runbooks to finish, e.g. 30m (0s = at once). Env: ORCHPREP_DRAIN_TIMEOUT",
        HelpName = "duration",
    };

    public Option<bool> ClosePrograms { get; } = new("--close-programs")
    {
        Description = "prepare: close open Orchestrator programs (Designer, Tester, Deployment Manager) on this machine, asking each to close first. Env: ORCHPREP_CLOSE_PROGRAMS=true",
    };

    public Option<bool> ForceStop { get; } = new("--force-stop")
    {
        Description = "prepare: when a service does not stop within policies.services.stopTimeout (StopPending), end its own process (the PID the Service Control Manager reports, as `taskkill /f /pid` does); without it orchprep never ends a process and reports the PID and workaround. Env: ORCHPREP_FORCE_STOP=true",
    };

    public Option<string?> BackupDir { get; } = new("--backup-dir")
    {
        Description = "prepare: folder (as SQL Server sees it) for the database backup. Env: ORCHPREP_BACKUP_DIR",
        HelpName = "dir",
    };

    public Option<string?> Verify { get; } = new("--verify")
    {
        Description = "prepare: how to prove the backup restorable: verifyonly|restore. Env: ORCHPREP_VERIFY",
        HelpName = "level",
    };

    public Option<string?> RestoreServer { get; } = new("--restore-server")
    {
        Description = "prepare, with --verify restore: run the test restore on this other SQL Server instance (server, server\\instance or server,port), " +
            "with the sql: section's credentials — the rehearsal of a side-by-side upgrade; the backup folder must be reachable from it (a UNC path). Env: ORCHPREP_RESTORE_SERVER",
        HelpName = "instance",
    };

    public IEnumerable<Option> Common => [Config, Environment, Target, Sandbox, Format, Verbosity, Output, Only, Skip, FailOnWarning, PublishCheckRun, CheckTimeout, Deadline];

    public IEnumerable<Option> PrepareOnly => [Drain, DrainTimeout, ClosePrograms, ForceStop, BackupDir, Verify, RestoreServer];

    public IEnumerable<Option> ResumeOnly => [IfPresent];

    /// <summary>Its choices are checked at parse time and listed in --help.</summary>
    private static Option<string?> CreateVerbosity()
    {
        var option = new Option<string?>("--verbosity", "-v")
        {
            Description = "How much the console says: quiet (what needs attention and the verdict), normal (default: non-met checks in full, " +
                "met ones counted per host), detailed (every check), diagnostic (also met checks' evidence and durations; Azure System.Debug=true " +
                "or GitHub RUNNER_DEBUG=1 turn it on). Report files always hold everything. Env: ORCHPREP_VERBOSITY",
            HelpName = "level",
        };
        option.AcceptOnlyFromAmong(WireNames.All<Cli.Reporting.ConsoleVerbosity>().ToArray());
        return option;
    }

    /// <summary>
    /// The token after --sandbox is its scenario only when it names one; the parser cannot tell "--sandbox x" from
    /// "--sandbox=x", so anything else is a usage error here rather than a scenario silently made of a stray word.
    /// </summary>
    private static string? SandboxScenarioToken(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var value = result.Tokens[0].Value;
        if (SandboxScenarios.Names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return value;
        }

        if (value.StartsWith('-'))
        {
            // An option this command does not have (a prepare-only switch given to check): the parser handed it to
            // --sandbox. Say that, not "not a scenario"; OrchPrepCli names the command the option belongs to.
            result.AddError($"--sandbox: '{value}' after it is no option of this command; write the sandbox scenario as --sandbox=NAME, or --sandbox alone for healthy.");
            return null;
        }

        result.AddError(
            $"--sandbox: '{value}' is not a sandbox scenario ({string.Join(", ", SandboxScenarios.Names)}); " +
            "write --sandbox=NAME with one of them, or --sandbox alone for healthy. The sandbox has its own environment: no --config or --environment with it.");
        return null;
    }
}
