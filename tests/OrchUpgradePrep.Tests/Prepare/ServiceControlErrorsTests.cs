using System.ComponentModel;
using OrchUpgradePrep.Prepare;
using Xunit;

namespace OrchUpgradePrep.Tests.Prepare;

public sealed class ServiceControlErrorsTests
{
    [Fact]
    public void ServiceController_failure_names_the_inner_win32_reason()
    {
        var refused = new InvalidOperationException("Cannot open orunbook service on computer 'orch-rb02'.", new Win32Exception(5, "Access is denied."));

        Assert.Equal("Cannot open orunbook service on computer 'orch-rb02'. Access is denied.", ServiceControlErrors.Describe(refused));
    }

    [Fact]
    public void A_cause_already_in_the_message_is_not_repeated()
    {
        var timeout = new TimeoutException("orch-rb02: orunbook did not reach Stopped within 120s", new TimeoutException("did not reach Stopped within 120s"));

        Assert.Equal("orch-rb02: orunbook did not reach Stopped within 120s", ServiceControlErrors.Describe(timeout));
        Assert.Equal("no such service", ServiceControlErrors.Describe(new InvalidOperationException("no such service")));
    }
}
