using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>Turns a failed CIM call into a <see cref="HostFactsException"/> whose message names the host and says what to do.</summary>
internal static class CimErrors
{
    // WinRM (WS-Management) client errors, as HRESULTs in the CIM error instance.
    private const uint WsManNameNotResolved = 0x803381B9;
    private const uint WsManDestinationUnreachable = 0x80338012;
    private const uint WsManNetworkTimedOut = 0x80338126; // "verify the computer is accessible and a firewall exception for WinRM exists"
    private const uint WsManOperationTimedOut = 0x80338029;
    private const uint WsManServerNotTrusted = 0x803380E4;
    private const uint WsManFailedAuthentication = 0x80338036;
    private const uint WsManWorkgroupNoKerberos = 0x8033810C;

    // Win32 / WinHTTP codes and their HRESULT forms, as the transport reports them.
    private const uint AccessDenied = 5;
    private const uint AccessDeniedHResult = 0x80070005;
    private const uint LogonFailure = 1326;
    private const uint LogonFailureHResult = 0x8007052E;
    private const uint WinHttpTimeout = 12002;
    private const uint WinHttpNameNotResolved = 12007;
    private const uint WinHttpCannotConnect = 12029;
    private const uint Timeout = 1460;

    // WMI (WBEM) codes.
    private const uint WbemAccessDenied = 0x80041003;
    private const uint WbemInvalidNamespace = 0x8004100E;
    private const uint WbemInvalidClass = 0x80041010;
    private const uint WbemNotFound = 0x80041002;

    public static CimFailureKind Classify(CimCallException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception.ErrorCode;
        var win32 = code is { } c && (c & 0xFFFF0000) == 0x80070000 ? c & 0xFFFF : code;
        return (exception.NativeErrorName, code, win32) switch
        {
            (_, WsManNameNotResolved, _) or (_, _, WinHttpNameNotResolved) => CimFailureKind.HostNotFound,
            (_, WsManDestinationUnreachable or WsManNetworkTimedOut, _) or (_, _, WinHttpCannotConnect) => CimFailureKind.NotListening,
            (_, WsManOperationTimedOut, _) or (_, _, WinHttpTimeout or Timeout) => CimFailureKind.Timeout,
            (_, WsManServerNotTrusted or WsManFailedAuthentication or WsManWorkgroupNoKerberos, _)
                or (_, LogonFailureHResult, _) or (_, _, LogonFailure) => CimFailureKind.Authentication,
            ("AccessDenied", _, _) or (_, AccessDeniedHResult or WbemAccessDenied, _) or (_, _, AccessDenied) => CimFailureKind.AccessDenied,
            ("InvalidNamespace", _, _) or (_, WbemInvalidNamespace, _) => CimFailureKind.InvalidNamespace,
            ("InvalidClass", _, _) or (_, WbemInvalidClass, _) => CimFailureKind.InvalidClass,
            ("NotFound", _, _) or (_, WbemNotFound, _) => CimFailureKind.NotFound,
            _ => CimFailureKind.Other,
        };
    }

    /// <summary>True when a host fact failed because a CIM namespace is missing on the host: a check reads that as
    /// "not applicable" (docs/facts/restart-signals.md#ccm), never as a pass or a failure.</summary>
    public static bool IsInvalidNamespace(HostFactsException exception) =>
        exception?.InnerException is CimCallException inner && Classify(inner) == CimFailureKind.InvalidNamespace;

    /// <param name="what">What was being read, for the message: "query Win32_Process", "StdRegProv EnumKey HKLM\…".</param>
    public static HostFactsException ToHostFactsException(string host, string endpoint, string what, CimCallException exception, TimeSpan timeout) =>
        new(Describe(host, endpoint, what, exception, timeout), exception);

    public static HostFactsException TimedOut(string host, string what, TimeSpan timeout, Exception? innerException = null) =>
        new($"{host}: {what} timed out after {Seconds(timeout)} s over WinRM; the host is slow or overloaded, or the network drops packets. " +
            "Try again, or give the host a snapshot (hosts[].snapshot).", innerException ?? new TimeoutException());

    private static string Describe(string host, string endpoint, string what, CimCallException exception, TimeSpan timeout) => Classify(exception) switch
    {
        CimFailureKind.HostNotFound =>
            $"{host}: host not found (DNS cannot resolve the name) while trying to {what}; check hosts[].name, or use the host's FQDN.",
        CimFailureKind.NotListening =>
            $"{host}: cannot connect to WinRM at {endpoint} to {what} (connection refused or blocked): on the host run 'winrm quickconfig' " +
            "(or Enable-PSRemoting) and allow the WinRM port through its firewall.",
        CimFailureKind.AccessDenied =>
            $"{host}: access denied to {what} over WinRM: the account running orchprep needs to be a local administrator on the host " +
            "(or a member of Remote Management Users with WMI rights on the namespace).",
        CimFailureKind.Authentication =>
            $"{host}: WinRM authentication failed to {what}: in a domain use the host's name (not an IP) so Kerberos works; " +
            $"in a workgroup add the host to the client's TrustedHosts or use HTTPS. ({Detail(exception)})",
        CimFailureKind.Timeout => TimedOut(host, what, timeout).Message,
        CimFailureKind.InvalidNamespace =>
            $"{host}: cannot {what}: the CIM namespace does not exist on the host (invalid namespace). ({Detail(exception)})",
        CimFailureKind.InvalidClass =>
            $"{host}: cannot {what}: the CIM class does not exist on the host (invalid class). ({Detail(exception)})",
        _ => $"{host}: cannot {what} over WinRM: {Detail(exception)}",
    };

    private static string Detail(CimCallException exception)
    {
        var message = exception.Message.Trim();
        var code = exception.ErrorCode is { } c
            ? $"{exception.ErrorType ?? "code"} 0x{c.ToString("X8", CultureInfo.InvariantCulture)}"
            : null;
        return code is null ? $"{message} [{exception.NativeErrorName}]" : $"{message} [{exception.NativeErrorName}, {code}]";
    }

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
