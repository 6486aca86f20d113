using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Programs.ProgramFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

/// <summary>A source that cannot give the facts a check rests on makes it <c>error</c> through the real runner, never met.</summary>
public sealed class ProgramChecksErrorTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "programs.orchestrator-programs", "processes" },
        { "programs.installer-running", "processes" },
        { "programs.other-sessions", "sessions" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Facts_the_check_needs_that_cannot_be_read_are_an_error(string id, string missing)
    {
        var host = QuietHost();
        if (missing == "processes")
        {
            host.Processes = null;
        }
        else
        {
            host.Sessions = null;
        }

        var result = await RunThroughRunner(CheckCatalog.CreateAll().Single(c => c.Id == id), host);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal($"fake host has no {missing}", result.Detail);
        Assert.Null(result.Remediation);
    }

    [Fact]
    public void Programs_checks_are_per_host_on_every_role()
    {
        var programs = CheckCatalog.CreateAll().Where(c => c.Prerequisite == Prerequisite.Programs).ToArray();

        Assert.Equal(["programs.orchestrator-programs", "programs.other-sessions", "programs.installer-running"], programs.Select(c => c.Id));
        Assert.All(programs, c => Assert.Equal((CheckScope.PerHost, 0), (c.Scope, c.Roles.Count)));
    }
}
