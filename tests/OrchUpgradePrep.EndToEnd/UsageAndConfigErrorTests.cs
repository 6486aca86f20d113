using Xunit;

namespace OrchUpgradePrep.EndToEnd;

public sealed class UsageAndConfigErrorTests
{
    [Fact]
    public async Task UnknownOption_ExitsTwo()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbx");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--sandbx", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTarget_ExitsTwo_AndListsTheTargets()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox", "--target", "2020");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("2012R2|2016|2019|2022|2025", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConfigAndNoSandbox_ExitsTwo_AndSaysWhatToDo()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--sandbox", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithUnknownKey_ExitsTwo_NamingFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), "environments:\n  prod:\n    target: \"2022\"\n    hostz: []\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "-e", "prod");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep.yml(4,5)", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("hostz", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEnvironment_ExitsTwo_ListingTheEnvironments()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(
            Path.Combine(dir.Path, "orchprep.yml"),
            "environments:\n  dev:\n    target: \"2022\"\n    hosts:\n      - name: a\n        roles: [runbook-server]\n  prod:\n    target: \"2022\"\n    hosts:\n      - name: b\n        roles: [runbook-server]\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--environment", "qa");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("dev, prod", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_PrintsTheHelpPage_AndUnknownIdExitsTwo()
    {
        using var dir = new TempDirectory();

        var known = await OrchPrepProcess.RunAsync(dir.Path, null, "explain", "requirements.upgrade-path");
        var unknown = await OrchPrepProcess.RunAsync(dir.Path, null, "explain", "requirements.nope");

        Assert.True(known.ExitCode == 0, known.ToString());
        Assert.StartsWith("# ", known.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("requirements.upgrade-path", known.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("requirements.os-version", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ShowsExamples()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("orchprep check --sandbox", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithInvalidUtf8_ExitsTwo_AtTheBadByte_NotAServerNameWithReplacementCharacters()
    {
        using var dir = new TempDirectory();
        var bytes = "environments:\n  prod:\n    target: \"2022\"\n    sql: { server: sql"u8.ToArray().Concat(new byte[] { 0xFF, 0xFE }).Concat("01 }\n"u8.ToArray()).ToArray();
        File.WriteAllBytes(Path.Combine(dir.Path, "orchprep.yml"), bytes);

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "-e", "prod");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep.yml(4,23): the file is not valid UTF-8: byte 0xFF", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithBom_IsRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(Path.Combine(dir.Path, "orchprep.yml"), [0xEF, 0xBB, 0xBF, .. "environments:\n  prod:\n    target: \"2022\"\n    hostz: []\n"u8.ToArray()]);

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "-e", "prod");

        // Past decoding: the error is the unknown key, at its place.
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep.yml(4,5)", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithATabOnLineThree_ExitsTwo_NamingLineThreeAndTheTabsColumn()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), "environments:\n  prod:\n  \ttarget: \"2022\"\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "-e", "prod");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep.yml(3,3): YAML syntax error", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sql: { server: sql01, auth: sql, user: orchprep, passwordEnv: ORCHPREP_E2E_UNSET_SQL }", "ORCHPREP_E2E_UNSET_SQL (sql.passwordEnv)")]
    [InlineData("webService: { url: 'http://127.0.0.1:9/Orchestrator2012/Orchestrator.svc/', auth: basic, userEnv: ORCHPREP_E2E_UNSET_USER, passwordEnv: ORCHPREP_E2E_UNSET_PW }",
        "ORCHPREP_E2E_UNSET_USER (webService.userEnv), ORCHPREP_E2E_UNSET_PW (webService.passwordEnv)")]
    public async Task UnsetSecretVariable_ExitsTwo_NamingIt_ForSqlAndTheWebServiceAlike(string section, string named)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), $"environments:\n  prod:\n    target: \"2022\"\n    {section}\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "-e", "prod", "--output", "out");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"environment 'prod' needs {named}, not set", run.StandardError, StringComparison.Ordinal);
        // Raised before anything ran: no report, no state, no lock.
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")), "a run refused for a missing secret wrote into its output folder");
    }

    [Fact]
    public async Task Sandbox_DoesNotSwallowAnUnknownToken_AsAScenario()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox", "prod");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--sandbox: 'prod' is not a sandbox scenario", run.StandardError, StringComparison.Ordinal);
        Assert.Equal("", run.StandardOutput);
    }

    [Fact]
    public async Task Sandbox_WithEnvironment_ExitsTwo_InsteadOfIgnoringIt()
    {
        using var dir = new TempDirectory();

        var flag = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox", "--environment", "prod");
        var variable = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["ORCHPREP_ENVIRONMENT"] = "prod" }, "check", "--sandbox=ready");

        Assert.True(flag.ExitCode == 2, flag.ToString());
        Assert.Contains("--sandbox and --environment ('prod') exclude each other", flag.StandardError, StringComparison.Ordinal);
        Assert.True(variable.ExitCode == 2, variable.ToString());
        Assert.Contains("--sandbox and ORCHPREP_ENVIRONMENT ('prod') exclude each other", variable.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_WithoutAStateFile_ExitsTwo_NamingWhereItLooked_UnlessIfPresent()
    {
        using var dir = new TempDirectory();
        var looked = Path.Combine(dir.Path, "ot");

        var mistyped = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox", "--output", "ot");
        var ifPresent = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox", "--output", "ot", "--if-present");

        Assert.True(mistyped.ExitCode == 2, mistyped.ToString());
        Assert.Contains($"no prepare-state.json in {looked}", mistyped.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("resume read", mistyped.StandardError + mistyped.StandardOutput, StringComparison.Ordinal);
        Assert.True(ifPresent.ExitCode == 0, ifPresent.ToString());
        var report = ReportJson.Load(Path.Combine(looked, "resume-report.json"));
        Assert.StartsWith($"nothing to undo: no prepare-state.json in {looked}", report.Check("runbooks.resumed", "sandbox").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(looked, "report.json")), "resume wrote report.json, the name prepare's report has");
    }
}
