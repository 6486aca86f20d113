using System.Net;
using System.Text.Json;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Tests.Gates.AzureDevOps;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates;

public sealed class GateServerTests
{
    [Fact]
    public async Task Healthz_SaysUpAndTheVersionOnly_NamingNoEnvironment_EvenWhileOneIsBeingChecked()
    {
        var ct = TestContext.Current.CancellationToken;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(TimeSpan.Zero) { Hold = hold };
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, GateSettings.ParseEnvironments("orchestrator-secret-prod=prod-hidden"), ct);
        using (await harness.SendAsync(harness.CheckRequest("orchestrator-secret-prod", PlanHeaders.New()), ct))
        {
        }

        await check.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var health = await harness.Http.GetAsync(new Uri("healthz", UriKind.Relative), ct);
        var body = await health.Content.ReadAsStringAsync(ct);
        hold.SetResult();
        await harness.DrainAsync(ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["status", "version"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("0.0.0-test", json.RootElement.GetProperty("version").GetString());
        Assert.DoesNotContain("prod", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("azure-devops", body, StringComparison.Ordinal);
    }
}
