using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using static OrchUpgradePrep.Tests.Sandbox.WebService.SandboxWebServiceFixture;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

/// <summary>Feeds and entries as a plain HTTP client reads them: Atom with the OData namespaces, the documented
/// $filter forms, pages of at most 50 with an inline count.</summary>
public sealed partial class SandboxWebServiceReadTests
{
    private const string RunningOrPending = "$filter=Status eq 'Running' or Status eq 'Pending'";

    [Fact]
    public async Task JobsFeed_WithInlineCount_IsAtomWithNamespacesCountAndFirstPage()
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync("Jobs()?$inlinecount=allpages", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml;type=feed;charset=utf-8", ContentType(response));
        Assert.Equal("2.0;", Header(response, "DataServiceVersion"));
        var feed = await ReadXmlAsync(response);
        var root = feed.Root!;
        Assert.Equal(Atom + "feed", root.Name);
        Assert.Equal(fixture.Service.ServiceRoot.ToString(), root.Attribute(XNamespace.Xml + "base")!.Value);
        Assert.Equal(D.NamespaceName, root.Attribute(XNamespace.Xmlns + "d")!.Value);
        Assert.Equal(M.NamespaceName, root.Attribute(XNamespace.Xmlns + "m")!.Value);
        Assert.Equal("Jobs", root.Element(Atom + "title")!.Value);
        Assert.Equal(fixture.Service.ServiceRoot + "Jobs", root.Element(Atom + "id")!.Value);
        Assert.Equal("2013-10-01T12:35:10Z", root.Element(Atom + "updated")!.Value);
        Assert.Equal(JobCount.ToString(CultureInfo.InvariantCulture), root.Element(M + "count")!.Value);
        Assert.Equal(50, root.Elements(Atom + "entry").Count());
    }

    [Fact]
    public async Task JobsFeed_WithoutInlineCount_HasNoCountAndVersion1()
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync("Jobs", TestContext.Current.CancellationToken);

        Assert.Equal("1.0;", Header(response, "DataServiceVersion"));
        var feed = await ReadXmlAsync(response);
        Assert.Null(feed.Root!.Element(M + "count"));
    }

    [Fact]
    public async Task JobEntry_HasTheDocumentedShape()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().OrderBy(j => j.CreationTime).First(j => j.Status == "Running");
        var root = fixture.Service.ServiceRoot;

        var feed = await fixture.GetXmlAsync("Jobs");
        var entry = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value == $"{root}Jobs(guid'{job.Id}')");

        Assert.Equal(AtomDate(job.CreationTime) + "Z", entry.Element(Atom + "published")!.Value);
        Assert.Equal(AtomDate(job.LastModifiedTime) + "Z", entry.Element(Atom + "updated")!.Value);
        var edit = entry.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "edit");
        Assert.Equal($"Jobs(guid'{job.Id}')", edit.Attribute("href")!.Value);
        Assert.Equal("Job", edit.Attribute("title")!.Value);
        Assert.Equal(
            ["Runbook", "Instances", "RunbookServer"],
            entry.Elements(Atom + "link").Where(l => l.Attribute("rel")!.Value.StartsWith("http://schemas.microsoft.com/ado/2007/08/dataservices/related/", StringComparison.Ordinal)).Select(l => l.Attribute("title")!.Value));
        var category = entry.Element(Atom + "category")!;
        Assert.Equal("Microsoft.SystemCenter.Orchestrator.WebService.Job", category.Attribute("term")!.Value);
        Assert.Equal("http://schemas.microsoft.com/ado/2007/08/dataservices/scheme", category.Attribute("scheme")!.Value);
        Assert.Equal("application/xml", entry.Element(Atom + "content")!.Attribute("type")!.Value);

        var properties = entry.Element(Atom + "content")!.Element(M + "properties")!;
        Assert.Equal(
            ["Id", "RunbookId", "Parameters", "RunbookServers", "RunbookServerId", "Status", "ParentId", "ParentIsWaiting", "CreatedBy", "CreationTime", "LastModifiedBy", "LastModifiedTime"],
            properties.Elements().Select(p => p.Name.LocalName));
        Assert.All(properties.Elements(), p => Assert.Equal(D, p.Name.Namespace));
        AssertProperty(properties, "Id", "Edm.Guid", job.Id.ToString());
        AssertProperty(properties, "RunbookId", "Edm.Guid", job.RunbookId.ToString());
        AssertProperty(properties, "RunbookServerId", "Edm.Guid", job.RunbookServerId.ToString());
        AssertProperty(properties, "RunbookServers", null, fixture.Orchestrator.Server(job.RunbookServerId)!.Computer);
        AssertProperty(properties, "Status", null, "Running");
        AssertProperty(properties, "ParentIsWaiting", "Edm.Boolean", "false");
        AssertProperty(properties, "CreationTime", "Edm.DateTime", AtomDate(job.CreationTime));
        AssertProperty(properties, "LastModifiedTime", "Edm.DateTime", AtomDate(job.LastModifiedTime));
        Assert.Matches(PropertyDate(), properties.Element(D + "CreationTime")!.Value);
        Assert.Equal("true", properties.Element(D + "Parameters")!.Attribute(M + "null")!.Value);
        Assert.Equal("true", properties.Element(D + "ParentId")!.Attribute(M + "null")!.Value);
        Assert.Equal("Edm.Guid", properties.Element(D + "ParentId")!.Attribute(M + "type")!.Value);
        Assert.Null(entry.Attribute(M + "etag"));
    }

    [Fact]
    public async Task SingleJob_IsAnEntryRootWithNamespaces()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs()[7];

        using var response = await fixture.Client.GetAsync($"Jobs(guid'{job.Id}')", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml;type=entry;charset=utf-8", ContentType(response));
        var root = (await ReadXmlAsync(response)).Root!;
        Assert.Equal(Atom + "entry", root.Name);
        Assert.Equal(fixture.Service.ServiceRoot.ToString(), root.Attribute(XNamespace.Xml + "base")!.Value);
        Assert.Equal(job.Status, root.Descendants(D + "Status").Single().Value);
    }

    [Fact]
    public async Task UnknownJob_Is404WithODataError()
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync($"Jobs(guid'{Guid.NewGuid()}')", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("application/xml", ContentType(response), StringComparison.Ordinal);
        Assert.Contains("Resource not found", await ErrorMessageAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("RunbookInstances")]
    [InlineData("Jobs(guid'8c5cb1bd-0f2b-4a5c-9f3e-2b1f9e4a1d11')/Runbook")]
    public async Task UnknownPath_Is404WithODataError(string path)
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Resource not found", await ErrorMessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedKey_Is400()
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync("Jobs(42)", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Jobs?$top=100")]
    [InlineData("Jobs?$top=51")]
    [InlineData("Jobs")]
    public async Task Top_IsCappedAt50(string query)
    {
        await using var fixture = await StartAsync();
        var feed = await fixture.GetXmlAsync(query);

        Assert.Equal(50, feed.Root!.Elements(Atom + "entry").Count());
    }

    [Fact]
    public async Task Pages_AreDisjointCompleteAndInCreationOrder()
    {
        await using var fixture = await StartAsync();
        var expected = fixture.Orchestrator.Jobs()
            .Where(j => j.Status is "Running" or "Pending")
            .OrderBy(j => j.CreationTime).ThenBy(j => j.Id)
            .Select(j => j.Id)
            .ToList();
        Assert.InRange(expected.Count, 21, 49);

        var seen = new List<Guid>();
        for (var skip = 0; skip < 100; skip += 20)
        {
            var feed = await fixture.GetXmlAsync($"Jobs()?{RunningOrPending}&$skip={skip}&$top=20&$inlinecount=allpages");
            Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), feed.Root!.Element(M + "count")!.Value);
            var ids = Ids(feed);
            Assert.All(feed.Descendants(D + "Status"), s => Assert.Contains(s.Value, new[] { "Running", "Pending" }));
            seen.AddRange(ids);
            if (ids.Count < 20)
            {
                break;
            }
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task FiftyPages_CoverEveryJob()
    {
        await using var fixture = await StartAsync();
        var first = Ids(await fixture.GetXmlAsync("Jobs?$skip=0&$top=50&$inlinecount=allpages"));
        var second = Ids(await fixture.GetXmlAsync("Jobs?$skip=50&$top=50&$inlinecount=allpages"));

        Assert.Equal(50, first.Count);
        Assert.Equal(JobCount - 50, second.Count);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(fixture.Orchestrator.Jobs().Select(j => j.Id).Order(), first.Concat(second).Order());
    }

    [Fact]
    public async Task Filter_NarrowedToAServer_CountsOnlyItsJobs()
    {
        await using var fixture = await StartAsync();
        var expected = fixture.Orchestrator.Jobs().Count(j => j.Status is "Running" or "Pending" && j.RunbookServerId == Rb02.Id);

        var feed = await fixture.GetXmlAsync($"Jobs()?$filter=(Status eq 'Running' or Status eq 'Pending') and (RunbookServerId eq guid'{Rb02.Id}')&$inlinecount=allpages");

        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), feed.Root!.Element(M + "count")!.Value);
        Assert.All(feed.Descendants(D + "RunbookServerId"), s => Assert.Equal(Rb02.Id.ToString(), s.Value));
    }

    [Fact]
    public async Task Filter_NarrowedToARunbook_ReturnsOnlyItsJobs()
    {
        await using var fixture = await StartAsync();
        var expected = fixture.Orchestrator.Jobs().Count(j => j.Status == "Running" && j.RunbookId == MonitorRunbook.Id);

        var feed = await fixture.GetXmlAsync($"Jobs()?$filter=Status eq 'Running' and RunbookId eq guid'{MonitorRunbook.Id}'&$inlinecount=allpages");

        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), feed.Root!.Element(M + "count")!.Value);
        Assert.True(expected > 0);
    }

    [Theory]
    [InlineData("Jobs?$filter=Status ne 'Running'")]
    [InlineData("Jobs?$filter=Status eq 'Running' or Status eq 'Pending' and RunbookId eq guid'5e1d2f3a-7b4c-4d9e-a0f1-1c2b3d4e5f03'")]
    [InlineData("Jobs?$orderby=CreationTime")]
    [InlineData("Jobs?$top=-1")]
    [InlineData("Runbooks?$filter=Name eq 'x'")]
    [InlineData("RunbookServers?$filter=Name eq 'ORCH-RB01'")]
    public async Task UnsupportedQuery_Is400WithMessage(string query)
    {
        await using var fixture = await StartAsync();
        using var response = await fixture.Client.GetAsync(query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await ErrorMessageAsync(response));
    }

    [Fact]
    public async Task Runbooks_FilteredOnIsMonitor_ReturnOnlyTheMonitor()
    {
        await using var fixture = await StartAsync();
        var feed = await fixture.GetXmlAsync("Runbooks?$filter=IsMonitor eq true&$inlinecount=allpages");

        Assert.Equal("1", feed.Root!.Element(M + "count")!.Value);
        var properties = feed.Descendants(M + "properties").Single();
        AssertProperty(properties, "Id", "Edm.Guid", MonitorRunbook.Id.ToString());
        AssertProperty(properties, "Name", null, MonitorRunbook.Name);
        AssertProperty(properties, "IsMonitor", "Edm.Boolean", "true");
        AssertProperty(properties, "Path", null, MonitorRunbook.Path);
        Assert.Equal("Edm.Guid", properties.Element(D + "FolderId")!.Attribute(M + "type")!.Value);
        Assert.Equal("true", properties.Element(D + "CheckedOutBy")!.Attribute(M + "null")!.Value);
        Assert.Equal("true", properties.Element(D + "CheckedOutTime")!.Attribute(M + "null")!.Value);
        Assert.Equal("Microsoft.SystemCenter.Orchestrator.WebService.Runbook", feed.Descendants(Atom + "category").Single().Attribute("term")!.Value);
    }

    [Fact]
    public async Task Runbooks_AllThree_AndOneByKey()
    {
        await using var fixture = await StartAsync();
        var feed = await fixture.GetXmlAsync("Runbooks");
        var entry = await fixture.GetXmlAsync($"Runbooks(guid'{Sync.Id}')");

        Assert.Equal(3, feed.Root!.Elements(Atom + "entry").Count());
        Assert.Equal(Sync.Name, entry.Root!.Descendants(D + "Name").Single().Value);
    }

    [Fact]
    public async Task RunbookServers_FeedAndEntry()
    {
        await using var fixture = await StartAsync();
        var feed = await fixture.GetXmlAsync("RunbookServers?$inlinecount=allpages");
        var entry = await fixture.GetXmlAsync($"RunbookServers(guid'{Rb02.Id}')");

        Assert.Equal("2", feed.Root!.Element(M + "count")!.Value);
        Assert.Equal(["ORCH-RB01", "ORCH-RB02"], feed.Descendants(D + "Name").Select(n => n.Value));
        Assert.Equal("Microsoft.SystemCenter.Orchestrator.WebService.RunbookServer", entry.Root!.Element(Atom + "category")!.Attribute("term")!.Value);
        AssertProperty(entry.Root.Descendants(M + "properties").Single(), "Id", "Edm.Guid", Rb02.Id.ToString());
    }

    private static List<Guid> Ids(XDocument feed) =>
        [.. feed.Root!.Elements(Atom + "entry").Select(e => Guid.Parse(e.Descendants(D + "Id").Single().Value))];

    private static string AtomDate(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static void AssertProperty(XElement properties, string name, string? type, string value)
    {
        var property = properties.Element(D + name);
        Assert.NotNull(property);
        Assert.Equal(type, property.Attribute(M + "type")?.Value);
        Assert.Equal(value, property.Value);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$")]
    private static partial Regex PropertyDate();
}
