using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

public sealed class ODataFiltersTests
{
    private const string Id = "5e1d2f3a-7b4c-4d9e-a0f1-1c2b3d4e5f03";

    [Theory]
    [InlineData("Status eq 'Running'", "Running", null, null)]
    [InlineData("Status eq 'Running' or Status eq 'Pending'", "Running,Pending", null, null)]
    [InlineData("(Status eq 'Running' or Status eq 'Pending') and RunbookServerId eq guid'" + Id + "'", "Running,Pending", Id, null)]
    [InlineData("(Status eq 'Running' or Status eq 'Pending') and (RunbookId eq guid'" + Id + "')", "Running,Pending", null, Id)]
    [InlineData("Status eq 'Running' and RunbookId eq guid'" + Id + "'", "Running", null, Id)]
    public void Jobs_DocumentedForms_Parse(string filter, string statuses, string? serverId, string? runbookId)
    {
        Assert.True(ODataFilters.TryParseJobs(filter, out var parsed, out var error), error);
        Assert.Equal(statuses.Split(',').Order(), parsed.Statuses!.Order());
        Assert.Equal(serverId is null ? null : Guid.Parse(serverId), parsed.RunbookServerId);
        Assert.Equal(runbookId is null ? null : Guid.Parse(runbookId), parsed.RunbookId);
    }

    [Theory]
    [InlineData("Status ne 'Running'")]
    [InlineData("Status eq 'Running' or Status eq 'Pending' and RunbookId eq guid'" + Id + "'")]
    [InlineData("Status eq 'Running' and Status eq 'Pending'")]
    [InlineData("Status eq 'Running' and RunbookId eq guid'" + Id + "' and RunbookServerId eq guid'" + Id + "'")]
    [InlineData("Name eq 'x'")]
    [InlineData("status eq 'Running'")]
    [InlineData("RunbookId eq guid'not-a-guid'")]
    public void Jobs_OtherForms_AreRefused(string filter)
    {
        Assert.False(ODataFilters.TryParseJobs(filter, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("IsMonitor eq true", true)]
    [InlineData("IsMonitor eq false", false)]
    public void Runbooks_IsMonitor_Parses(string filter, bool expected)
    {
        Assert.True(ODataFilters.TryParseRunbooks(filter, out var isMonitor, out _));
        Assert.Equal(expected, isMonitor);
    }
}
