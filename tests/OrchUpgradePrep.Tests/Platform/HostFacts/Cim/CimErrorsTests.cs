using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Platform.HostFacts.Cim;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Cim;

public sealed class CimErrorsTests
{
    private readonly FakeCimQueries _host = new();
    private readonly FakeTimeProvider _time = new();

    private CimHostFacts Facts() => new(FakeCimQueries.Host, _host, new CimHostFactsOptions(), _time);

    public static TheoryData<uint, string, string> TransportFailures => new()
    {
        { 0x803381B9, "Win32", "host not found (DNS" },
        { 12007, "Win32", "host not found (DNS" },
        { 0x80338012, "HRESULT", "winrm quickconfig" },
        { 0x80338126, "HRESULT", "winrm quickconfig" },
        { 12029, "Win32", "winrm quickconfig" },
        { 0x80072EFD, "HRESULT", "winrm quickconfig" },
        { 0x803380E4, "HRESULT", "TrustedHosts" },
        { 0x80338029, "HRESULT", "timed out after 30 s" },
        { 0x80070005, "HRESULT", "local administrator" },
    };

    [Theory]
    [MemberData(nameof(TransportFailures))]
    public async Task WinRM_failure_becomes_an_error_naming_the_host_and_what_to_do(uint code, string type, string advice)
    {
        _host.Failure = new CimCallException("The WinRM client cannot process the request.", "Failed", code, type);

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetServicesAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("orch-ms01: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Win32_Service", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_connection_names_the_WinRM_endpoint()
    {
        _host.Failure = new CimCallException("The client cannot connect to the destination.", "Failed", 0x80338012, "HRESULT");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetProcessesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("http://orch-ms01:5985/wsman", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_by_MI_result_alone_says_local_admin_is_needed()
    {
        _host.Failure = new CimCallException("Access denied", "AccessDenied");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetOperatingSystemAsync(TestContext.Current.CancellationToken));

        Assert.Contains("access denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local administrator", ex.Message, StringComparison.Ordinal);
        Assert.False(CimErrors.IsInvalidNamespace(ex));
    }

    [Theory]
    [InlineData("InvalidNamespace", null)]
    [InlineData("Failed", 0x8004100Eu)]
    public async Task Invalid_namespace_is_told_apart_from_other_failures(string nativeError, uint? code)
    {
        _host.Failure = new CimCallException("Invalid namespace", nativeError, code, code is null ? null : "HRESULT");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetServicesAsync(TestContext.Current.CancellationToken));

        Assert.True(CimErrors.IsInvalidNamespace(ex));
        Assert.Contains("namespace does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_failure_keeps_the_CIM_message_and_code()
    {
        _host.Failure = new CimCallException("Provider load failure", "Failed", 0x80041013, "HRESULT");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetServicesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Provider load failure", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x80041013", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_that_does_not_answer_within_the_timeout_is_a_timeout_error()
    {
        _host.Hang = true;

        var task = Facts().GetServicesAsync(TestContext.Current.CancellationToken);
        await WaitForCallAsync();
        _time.Advance(TimeSpan.FromSeconds(CimHostFactsOptions.DefaultTimeoutSeconds));

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => task);
        Assert.Contains("orch-ms01: query Win32_Service timed out after 30 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_is_per_call_and_configurable()
    {
        _host.Hang = true;
        var facts = new CimHostFacts(FakeCimQueries.Host, _host, new CimHostFactsOptions { CallTimeout = TimeSpan.FromSeconds(5) }, _time);

        var task = facts.Registry.ReadKeyAsync(@"SOFTWARE\Microsoft", TestContext.Current.CancellationToken).AsTask();
        await WaitForCallAsync();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(task.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => task);
        Assert.Contains("timed out after 5 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stays_cancellation()
    {
        _host.Hang = true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var task = Facts().GetServicesAsync(cts.Token);
        await WaitForCallAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task A_CIM_failure_after_the_caller_cancelled_is_cancellation_not_an_error()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var host = new CancelThenFail(cts);

        var facts = new CimHostFacts(FakeCimQueries.Host, host, new CimHostFactsOptions(), _time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => facts.GetServicesAsync(cts.Token));
    }

    [Fact]
    public async Task Already_cancelled_token_makes_no_call()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Facts().GetServicesAsync(cts.Token));
        Assert.Empty(_host.Calls);
    }

    private async Task WaitForCallAsync()
    {
        while (_host.Calls.IsEmpty)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        // Let the call reach its wait on the token.
        await Task.Delay(20, TestContext.Current.CancellationToken);
    }

    /// <summary>The MI layer reports a cancelled operation as a CimException; that must still read as cancellation.</summary>
    private sealed class CancelThenFail(CancellationTokenSource caller) : ICimQueries
    {
        public string Endpoint => "http://orch-ms01:5985/wsman";

        public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, CancellationToken cancellationToken)
        {
            await caller.CancelAsync();
            throw new CimCallException("The operation was stopped.", "Failed");
        }

        public Task<CimMethodOutput> InvokeAsync(string cimNamespace, string className, IReadOnlyDictionary<string, object>? instanceKeys, string methodName,
            IReadOnlyDictionary<string, object> arguments, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
