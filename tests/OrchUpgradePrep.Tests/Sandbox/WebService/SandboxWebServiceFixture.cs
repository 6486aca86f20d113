using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

/// <summary>
/// A sandbox web service on loopback in front of a small simulated Orchestrator (2 runbook servers, 3 runbooks of
/// which one is a monitor, 60 jobs: running, completed and, on ORCH-RB02 whose Runbook Service is stopped, pending),
/// reached with a plain <see cref="HttpClient"/> that sends the sandbox's Basic credentials.
/// </summary>
internal sealed class SandboxWebServiceFixture : IAsyncDisposable
{
    public const int JobCount = 60;

    public static readonly DateTimeOffset Start = new(2013, 10, 1, 12, 35, 10, TimeSpan.Zero);

    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace D = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    public static readonly XNamespace M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    public static readonly SandboxRunbookServer Rb01 = new(Guid.Parse("0b6f4c1e-1d0a-4c8e-8f61-3a9f0e2d7c01"), "ORCH-RB01");
    public static readonly SandboxRunbookServer Rb02 = new(Guid.Parse("0b6f4c1e-1d0a-4c8e-8f61-3a9f0e2d7c02"), "ORCH-RB02");
    public static readonly SandboxRunbook Sync = new(Guid.Parse("5e1d2f3a-7b4c-4d9e-a0f1-1c2b3d4e5f01"), "Sync AD groups", @"\Identity\Sync AD groups", false);
    public static readonly SandboxRunbook Cleanup = new(Guid.Parse("5e1d2f3a-7b4c-4d9e-a0f1-1c2b3d4e5f02"), "Nightly cleanup", @"\Maintenance\Nightly cleanup", false);
    public static readonly SandboxRunbook MonitorRunbook = new(Guid.Parse("5e1d2f3a-7b4c-4d9e-a0f1-1c2b3d4e5f03"), "Monitor mailbox", @"\Intake\Monitor mailbox", true);

    private SandboxWebServiceFixture(FakeTimeProvider time, SandboxOrchestrator orchestrator, SandboxWebService service, HttpClient client)
    {
        Time = time;
        Orchestrator = orchestrator;
        Service = service;
        Client = client;
    }

    public FakeTimeProvider Time { get; }
    public SandboxOrchestrator Orchestrator { get; }
    public SandboxWebService Service { get; }

    /// <summary>Authenticated, with <see cref="HttpClient.BaseAddress"/> = the service root.</summary>
    public HttpClient Client { get; }

    public static SandboxOrchestratorProfile Profile()
    {
        var jobs = new List<SandboxJobSeed>();
        for (var i = 0; i < JobCount; i++)
        {
            // Distinct creation times with milliseconds, oldest first.
            var ago = TimeSpan.FromMinutes(120 - i) + TimeSpan.FromMilliseconds((i * 7) + 1);
            jobs.Add((i % 10, i % 3) switch
            {
                (0, _) => new SandboxJobSeed(Cleanup.Name, Rb02.Computer, ago, TimeSpan.FromDays(1), Pending: true),
                (_, 0) => new SandboxJobSeed(MonitorRunbook.Name, Rb01.Computer, ago, null),
                (_, 1) => new SandboxJobSeed(Sync.Name, i % 2 == 0 ? Rb01.Computer : Rb02.Computer, ago, TimeSpan.FromMinutes(1)),
                _ => new SandboxJobSeed(Cleanup.Name, i % 2 == 0 ? Rb01.Computer : Rb02.Computer, ago, TimeSpan.FromDays(1)),
            });
        }

        return new SandboxOrchestratorProfile(
            [Sync, Cleanup, MonitorRunbook],
            [Rb01, Rb02],
            jobs,
            [
                new SandboxServiceSeed(Rb01.Computer, SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
                new SandboxServiceSeed(Rb02.Computer, SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service", Running: false),
            ]);
    }

    public static async Task<SandboxWebServiceFixture> StartAsync(SandboxWebServiceOptions? options = null, HttpMessageHandler? handler = null)
    {
        var time = new FakeTimeProvider(Start);
        var orchestrator = new SandboxOrchestrator(Profile(), time);
        var service = await SandboxWebService.StartAsync(orchestrator, options ?? new SandboxWebServiceOptions(), time, TestContext.Current.CancellationToken);
        var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = service.ServiceRoot };
        client.DefaultRequestHeaders.Authorization = Basic(SandboxWebServiceOptions.DefaultUser, SandboxWebServiceOptions.DefaultPassword);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/atom+xml,application/xml");
        return new SandboxWebServiceFixture(time, orchestrator, service, client);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<XDocument> GetXmlAsync(string relative)
    {
        using var response = await Client.GetAsync(relative, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ReadXmlAsync(response);
    }

    public static async Task<XDocument> ReadXmlAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return XDocument.Parse(text);
    }

    /// <summary>The message of an OData error document.</summary>
    public static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        var document = await ReadXmlAsync(response);
        Assert.Equal(M + "error", document.Root!.Name);
        return document.Root.Element(M + "message")!.Value;
    }

    public static string ContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : "";

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : "";

    /// <summary>The ETag a client builds from the job's LastModifiedTime, as OrchestratorServiceModule does.</summary>
    public static string ETag(DateTime lastModified) =>
        $"W/\"datetime'{AtomWriter.FormatDateTime(lastModified).Replace(":", "%3A", StringComparison.Ordinal)}'\"";

    /// <summary>An Atom entry whose only property is Status.</summary>
    public static string StatusEntry(string status) =>
        $"""
        <?xml version="1.0" encoding="utf-8" standalone="yes"?>
        <entry xmlns:d="{D}" xmlns:m="{M}" xmlns="{Atom}">
          <content type="application/xml"><m:properties><d:Status>{status}</d:Status></m:properties></content>
        </entry>
        """;

    /// <summary>POST + X-HTTP-Method: MERGE to Jobs(guid'id'), as Microsoft's client stops a job.</summary>
    public async Task<HttpResponseMessage> MergeAsync(Guid jobId, string? ifMatch, string body, string contentType = "application/atom+xml")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"Jobs(guid'{jobId}')");
        request.Headers.TryAddWithoutValidation("X-HTTP-Method", "MERGE");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        request.Headers.TryAddWithoutValidation("DataServiceVersion", "1.0;NetFx");
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "2.0;NetFx");
        request.Content = new StringContent(body, new UTF8Encoding(false));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Service.DisposeAsync();
    }
}
