using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>`orchprep gate serve` refuses to start half-configured, with a message that says what to set (exit 2).</summary>
public sealed class GateServeCommandTests
{
    [Fact]
    public async Task WithNothingToServe_ItExits2_NamingTheVariablesToSet()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nothing to serve", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("ORCHPREP_WEBHOOK_SECRET", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("ORCHPREP_AZDO_CHECK_SECRET", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEnvironmentMap_Exits2_NamingTheVariable_AndNoSecretIsEchoed()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["ORCHPREP_GATE_ENVIRONMENTS"] = "orchestrator-prod",
            ["ORCHPREP_WEBHOOK_SECRET"] = "Hook-Secret-5521",
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ORCHPREP_GATE_ENVIRONMENTS: 'orchestrator-prod' is not pipeline-environment=config-environment", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Hook-Secret-5521", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadCheckTimeout_Exits2()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["ORCHPREP_GATE_CHECK_TIMEOUT"] = "forever" }, "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ORCHPREP_GATE_CHECK_TIMEOUT: 'forever' is not a duration", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadAzureDevOpsServerUrl_Exits2_NamingTheVariableAndTheEntry()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["ORCHPREP_AZDO_CHECK_SECRET"] = "Azdo-Secret-9931",
            ["ORCHPREP_AZDO_SERVER_URLS"] = "https://tfs.contoso.com, https://tfs02.contoso.com/tfs/DefaultCollection",
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ORCHPREP_AZDO_SERVER_URLS: 'https://tfs02.contoso.com/tfs/DefaultCollection' is not an origin", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Azdo-Secret-9931", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_ItServesHealth_UpAndVersionOnly_UntilStopped()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var env = new Dictionary<string, string?>
        {
            ["ORCHPREP_AZDO_CHECK_SECRET"] = "Azdo-Secret-9931",
            ["ORCHPREP_GATE_ENVIRONMENTS"] = "orchestrator-trial=sandbox:ready",
            ["ORCHPREP_GATE_URLS"] = $"http://127.0.0.1:{port}",
        };
        using var process = System.Diagnostics.Process.Start(OrchPrepProcess.StartInfo(dir.Path, env, "gate", "serve"))!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? health = null;
            for (var attempt = 0; attempt < 100 && health is null && !process.HasExited; attempt++)
            {
                try
                {
                    health = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"), TestContext.Current.CancellationToken);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, TestContext.Current.CancellationToken);
                }
            }

            Assert.NotNull(health);
            using var json = System.Text.Json.JsonDocument.Parse(health);
            Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
            // Anyone can ask: no environment, route or workload in the answer.
            Assert.Equal(["status", "version"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.DoesNotContain("orchestrator-trial", health, StringComparison.Ordinal);

            using var unsigned = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/azure-devops/check/orchestrator-trial"), null, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var log = await stderr;
        Assert.Contains("listening on http://127.0.0.1:" + port, log, StringComparison.Ordinal);
        Assert.Contains("orchestrator-trial=sandbox scenario ready", log, StringComparison.Ordinal);
        Assert.Contains("refused a request from 127.0.0.1: missing or wrong Basic credentials (401)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Azdo-Secret-9931", log, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
