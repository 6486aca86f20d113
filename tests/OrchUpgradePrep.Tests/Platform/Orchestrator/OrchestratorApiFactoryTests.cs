using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using Xunit;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.FakeOrchestratorService;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.ODataDocuments;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

public sealed class OrchestratorApiFactoryTests
{
    private const string Password = "S3cret!pw";
    private static readonly ODataOrchestratorApiOptions Options = new() { RetryBaseDelay = TimeSpan.Zero };

    private static readonly WebServiceConfig BasicConfig = new()
    {
        Url = new Uri("http://orch-web01:81/Orchestrator2012/Orchestrator.svc"),
        Auth = WebServiceAuth.Basic,
        UserEnv = "ORCH_WS_USER",
        PasswordEnv = "ORCH_WS_PW",
    };

    private static string? Variables(string name) => name switch
    {
        "ORCH_WS_USER" => @"CONTOSO\svc-orch",
        "ORCH_WS_PW" => Password,
        _ => null,
    };

    private static readonly string EncodedSecret = Convert.ToBase64String(Encoding.UTF8.GetBytes($@"CONTOSO\svc-orch:{Password}"));

    [Fact]
    public async Task Basic_sends_a_preemptive_header_and_no_message_carries_the_secret()
    {
        using var service = new FakeOrchestratorService(r => Xml(HttpStatusCode.Unauthorized, Error("Access is denied.")));
        using var api = OrchestratorApiFactory.Create(BasicConfig, Variables, Options, new FakeTimeProvider(), service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("Basic " + EncodedSecret, Assert.Single(service.Requests).Header("Authorization"));
        Assert.Equal(401, ex.StatusCode);
        Assert.DoesNotContain(Password, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(EncodedSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, api.Description, StringComparison.Ordinal);
        Assert.Equal(ServiceBase, api.Description);
    }

    [Fact]
    public async Task Basic_header_reaches_a_real_server_over_loopback()
    {
        await using var server = new LoopbackHttpServer(_ => (HttpStatusCode.OK, Feed("Jobs", [], count: 0)));
        using var api = OrchestratorApiFactory.Create(BasicConfig with { Url = server.Root }, Variables, Options, TimeProvider.System);

        Assert.Empty(await api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        var request = Assert.Single(server.Requests);
        Assert.Equal("Basic " + EncodedSecret, request["Authorization"]);
        Assert.Equal("1.0;NetFx", request["DataServiceVersion"]);
    }

    [Theory]
    [InlineData(WebServiceAuth.Basic)]
    [InlineData(WebServiceAuth.Negotiate)]
    public void A_missing_credential_variable_is_named_without_any_value(WebServiceAuth auth)
    {
        var ex = Assert.Throws<OrchestratorApiException>(() => OrchestratorApiFactory.Create(
            BasicConfig with { Auth = auth }, name => name == "ORCH_WS_USER" ? "svc-orch" : null, Options, TimeProvider.System));

        Assert.Contains("ORCH_WS_PW", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-orch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negotiate_with_variables_offers_the_account_only_to_the_service_host_and_only_by_Negotiate_or_NTLM()
    {
        var config = BasicConfig with { Auth = WebServiceAuth.Negotiate };
        using var handler = OrchestratorApiFactory.CreateHandler(config, OrchestratorApiFactory.ServiceRoot(config.Url), Variables, Options);

        var credentials = Assert.IsType<CredentialCache>(handler.Credentials);
        var negotiate = credentials.GetCredential(ServiceRoot, "Negotiate");
        Assert.NotNull(negotiate);
        Assert.Equal("svc-orch", negotiate.UserName);
        Assert.Equal("CONTOSO", negotiate.Domain);
        Assert.Equal(Password, negotiate.Password);
        Assert.NotNull(credentials.GetCredential(ServiceRoot, "NTLM"));
        Assert.Null(credentials.GetCredential(ServiceRoot, "Basic"));
        Assert.Null(credentials.GetCredential(new Uri("http://elsewhere:81/"), "Negotiate"));
        Assert.False(handler.AllowAutoRedirect);
    }

    [Fact]
    public void Negotiate_without_variables_uses_the_process_identity()
    {
        var config = new WebServiceConfig { Url = ServiceRoot };
        using var handler = OrchestratorApiFactory.CreateHandler(config, ServiceRoot, _ => throw new InvalidOperationException("no variable is read"), Options);

        var credentials = Assert.IsType<CredentialCache>(handler.Credentials);
        Assert.Same(CredentialCache.DefaultNetworkCredentials, credentials.GetCredential(ServiceRoot, "Negotiate"));
    }

    [Fact]
    public async Task None_sends_no_credentials()
    {
        var config = new WebServiceConfig { Url = ServiceRoot, Auth = WebServiceAuth.None };
        using var handler = OrchestratorApiFactory.CreateHandler(config, ServiceRoot, _ => throw new InvalidOperationException("no variable is read"), Options);
        Assert.Null(handler.Credentials);

        using var service = new FakeOrchestratorService(r => Ok(Feed("Jobs", [], count: 0)));
        using var api = OrchestratorApiFactory.Create(config, _ => null, Options, new FakeTimeProvider(), service);
        await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);
        Assert.Null(Assert.Single(service.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Every_request_names_orchprep_and_its_version_as_the_user_agent_so_the_web_hosts_log_can_tell_it_apart()
    {
        var config = new WebServiceConfig { Url = ServiceRoot, Auth = WebServiceAuth.None };
        using var service = new FakeOrchestratorService(r => Ok(Feed("Jobs", [], count: 0)));
        using var api = OrchestratorApiFactory.Create(config, _ => null, Options, new FakeTimeProvider(), service);

        await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

        var userAgent = Assert.Single(service.Requests).Header("User-Agent");
        Assert.Equal($"orchprep/{OrchestratorApiFactory.ProductVersion}", userAgent);
        Assert.DoesNotContain('+', OrchestratorApiFactory.ProductVersion);
        Assert.True(OrchUpgradePrep.Http.OrchprepUserAgent.Is(userAgent));
    }

    [Theory]
    [InlineData("http://orch-web01:81/Orchestrator2012/Orchestrator.svc", "http://orch-web01:81/Orchestrator2012/Orchestrator.svc/")]
    [InlineData("https://orch-web01.contoso.local/Orchestrator2012/Orchestrator.svc/", "https://orch-web01.contoso.local/Orchestrator2012/Orchestrator.svc/")]
    [InlineData("http://user:pw@orch-web01:81/Orchestrator2012/Orchestrator.svc", "http://orch-web01:81/Orchestrator2012/Orchestrator.svc/")]
    public void The_service_root_ends_with_a_slash_and_has_no_user_info(string configured, string expected)
    {
        Assert.Equal(expected, OrchestratorApiFactory.ServiceRoot(new Uri(configured)).AbsoluteUri);
    }

    [Fact]
    public void A_non_http_url_is_refused()
    {
        Assert.Throws<OrchestratorApiException>(() => OrchestratorApiFactory.ServiceRoot(new Uri("ftp://orch-web01/")));
    }
}
