using System.Net;
using System.Text;
using System.Xml.Linq;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;
using static OrchUpgradePrep.Tests.Sandbox.WebService.SandboxWebServiceFixture;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

/// <summary>Stopping a job (POST + X-HTTP-Method: MERGE, Status=Canceled, If-Match from LastModifiedTime) and starting
/// one (POST Jobs), as Microsoft's client sends them; bodies are read safely and with a size cap.</summary>
public sealed class SandboxWebServiceJobWriteTests
{
    [Fact]
    public async Task Merge_CanceledOnARunningJob_Is204AndTheSharedWorldSeesIt()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");

        using var response = await fixture.MergeAsync(job.Id, ETag(job.LastModifiedTime), StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0;", Header(response, "DataServiceVersion"));
        Assert.Equal("Canceled", fixture.Orchestrator.Jobs().Single(j => j.Id == job.Id).Status);
        Assert.Contains(fixture.Orchestrator.Changes, c => c.Contains(job.Id.ToString(), StringComparison.Ordinal) && c.Contains("web service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merge_WithTheEntryFromGet_AsMicrosoftsClientSendsIt_Cancels()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running" && j.RunbookId == MonitorRunbook.Id);
        var entry = (await fixture.GetXmlAsync($"Jobs(guid'{job.Id}')")).Root!;
        entry.Elements(Atom + "link").Remove();
        entry.Descendants(D + "Status").Single().Value = "Canceled";

        // The unencoded colon form of the ETag is accepted too.
        using var response = await fixture.MergeAsync(job.Id, $"W/\"datetime'{AtomWriter.FormatDateTime(job.LastModifiedTime)}'\"", entry.ToString(SaveOptions.DisableFormatting));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Canceled", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task Merge_WithoutIfMatch_IsAccepted()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");

        using var response = await fixture.MergeAsync(job.Id, null, StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Merge_WithAStaleIfMatch_Is412AndLeavesTheJobRunning()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");

        using var response = await fixture.MergeAsync(job.Id, ETag(job.LastModifiedTime.AddSeconds(-1)), StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("Running", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task Merge_OnAPendingJob_Is400WithTheDocumentedMessage()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Pending");

        using var response = await fixture.MergeAsync(job.Id, ETag(job.LastModifiedTime), StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The requested operation is not valid. The only valid transition is to change a running job to Canceled.", await ErrorMessageAsync(response));
        Assert.Equal("Pending", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task Merge_OnAnUnknownJob_Is404()
    {
        await using var fixture = await StartAsync();

        using var response = await fixture.MergeAsync(Guid.NewGuid(), null, StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Completed")]
    [InlineData("Running")]
    public async Task Merge_WithAnotherStatus_Is400(string status)
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");

        using var response = await fixture.MergeAsync(job.Id, null, StatusEntry(status));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Running", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\" />")]
    [InlineData("<entry xmlns=\"http://www.w3.org/2005/Atom\"><content /></entry>")]
    public async Task Merge_WithoutAStatusEntry_Is400(string body)
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");

        using var response = await fixture.MergeAsync(job.Id, null, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Running", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task Merge_WithABillionLaughsBody_Is400AtOnce()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");
        var laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE entry [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            laughs.Append(CultureInfoFree($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        }

        laughs.Append(CultureInfoFree($"]><entry xmlns=\"{Atom}\" xmlns:m=\"{M}\" xmlns:d=\"{D}\"><content><m:properties><d:Status>&lol9;</d:Status></m:properties></content></entry>"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"Jobs(guid'{job.Id}')") { Content = new StringContent(laughs.ToString(), Encoding.UTF8, "application/atom+xml") };
        request.Headers.TryAddWithoutValidation("X-HTTP-Method", "MERGE");
        using var response = await fixture.Client.SendAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DTD", await ErrorMessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_WithATwoMebibyteBody_Is413()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");
        var padding = new string(' ', 2 << 20);

        using var response = await fixture.MergeAsync(job.Id, null, StatusEntry("Canceled").Replace("<content", padding + "<content", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Running", fixture.Orchestrator.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task PostJobs_WithAChunkedTwoMebibyteBody_Is413AndStartsNothing()
    {
        await using var fixture = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "Jobs")
        {
            Content = new StringContent(new string('x', 2 << 20), Encoding.UTF8, "application/atom+xml"),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentLength = null;

        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(SandboxWebServiceFixture.JobCount, fixture.Orchestrator.Jobs().Count);
    }

    [Fact]
    public async Task PostJobs_StartsAJob_201WithLocationAndEntry()
    {
        await using var fixture = await StartAsync();
        var before = fixture.Orchestrator.Jobs().Count;
        var body = $"""
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <entry xmlns:d="{D}" xmlns:m="{M}" xmlns="{Atom}">
              <content type="application/xml"><m:properties><d:RunbookId m:type="Edm.Guid">{Sync.Id}</d:RunbookId></m:properties></content>
            </entry>
            """;

        using var response = await fixture.Client.PostAsync("Jobs", new StringContent(body, Encoding.UTF8, "application/atom+xml"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/atom+xml;type=entry;charset=utf-8", ContentType(response));
        var entry = (await ReadXmlAsync(response)).Root!;
        var id = Guid.Parse(entry.Descendants(D + "Id").Single().Value);
        Assert.Equal(new Uri(fixture.Service.ServiceRoot, $"Jobs(guid'{id}')"), response.Headers.Location);
        Assert.Equal(Sync.Id.ToString(), entry.Descendants(D + "RunbookId").Single().Value);
        Assert.Equal("Running", entry.Descendants(D + "Status").Single().Value);
        Assert.Equal(before + 1, fixture.Orchestrator.Jobs().Count);
        var job = fixture.Orchestrator.Job(id)!;
        Assert.Equal(Sync.Id, job.RunbookId);
        Assert.Equal(SandboxWebService.UserSid, job.CreatedBy);
    }

    [Fact]
    public async Task PostJobs_ForAnUnknownRunbook_Is400()
    {
        await using var fixture = await StartAsync();
        var body = $"<entry xmlns:d=\"{D}\" xmlns:m=\"{M}\" xmlns=\"{Atom}\"><content type=\"application/xml\"><m:properties><d:RunbookId m:type=\"Edm.Guid\">{Guid.NewGuid()}</d:RunbookId></m:properties></content></entry>";

        using var response = await fixture.Client.PostAsync("Jobs", new StringContent(body, Encoding.UTF8, "application/atom+xml"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SandboxWebServiceFixture.JobCount, fixture.Orchestrator.Jobs().Count);
    }

    [Theory]
    [InlineData("W/\"datetime'2013-10-01T12%3A34%3A56.123'\"", "2013-10-01T12:34:56.1230000")]
    [InlineData("W/\"datetime'2013-10-01T12:34:56.123'\"", "2013-10-01T12:34:56.1230000")]
    [InlineData("W/\"datetime'2013-10-01T12%3A34%3A56'\"", "2013-10-01T12:34:56.0000000")]
    public void ETag_ParsesEncodedAndPlainColons(string header, string expected)
    {
        Assert.True(SandboxWebService.TryParseETag(header, out var parsed));
        Assert.Equal(expected, parsed.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
    }

    [Theory]
    [InlineData("\"datetime'2013-10-01T12:34:56.123'\"")]
    [InlineData("W/\"datetime'yesterday'\"")]
    public void ETag_RefusesOtherForms(string header) => Assert.False(SandboxWebService.TryParseETag(header, out _));

    private static string CultureInfoFree(FormattableString text) => FormattableString.Invariant(text);
}
