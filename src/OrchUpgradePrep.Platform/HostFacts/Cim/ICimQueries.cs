namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>
/// The few CIM calls the adapter makes, with plain values in and out, so that everything above it (StdRegProv
/// results to registry reads, Win32_* rows to facts, errors to messages) is tested without a Windows host.
/// Rows are property name → value, case-insensitive; CIM integers arrive as their CIM types (uint, ulong, …),
/// arrays as arrays, embedded instances and references as nested rows.
/// Failures are <see cref="CimCallException"/>; cancellation is <see cref="OperationCanceledException"/>.
/// </summary>
internal interface ICimQueries
{
    /// <summary>Where the calls go, for messages: <c>http://orch-ms01:5985/wsman</c>.</summary>
    string Endpoint { get; }

    Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, CancellationToken cancellationToken);

    /// <summary>Calls a method: static when <paramref name="instanceKeys"/> is null, else on the instance with those keys.
    /// Arguments are uint or string (all StdRegProv and GetOwner need).</summary>
    Task<CimMethodOutput> InvokeAsync(
        string cimNamespace,
        string className,
        IReadOnlyDictionary<string, object>? instanceKeys,
        string methodName,
        IReadOnlyDictionary<string, object> arguments,
        CancellationToken cancellationToken);
}

/// <summary>A method's ReturnValue (uint for StdRegProv and GetOwner; null when the method has none) and its out parameters.</summary>
internal sealed record CimMethodOutput(object? ReturnValue, IReadOnlyDictionary<string, object?> OutParameters);

/// <summary>A CIM call failed. Carries what <c>CimException</c> said in plain values: the MI result name
/// (<c>AccessDenied</c>, <c>InvalidNamespace</c>, …) and, when the error instance had them, its code and code type
/// (<c>HRESULT</c>, <c>Win32</c>, <c>MI_RESULT</c>), which tell WinRM transport failures apart.</summary>
internal sealed class CimCallException : Exception
{
    public CimCallException(string message, string nativeErrorName, uint? errorCode = null, string? errorType = null, Exception? innerException = null)
        : base(message, innerException)
    {
        NativeErrorName = nativeErrorName;
        ErrorCode = errorCode;
        ErrorType = errorType;
    }

    public CimCallException()
        : this("CIM call failed", "Failed")
    {
    }

    public CimCallException(string message)
        : this(message, "Failed")
    {
    }

    public CimCallException(string message, Exception innerException)
        : this(message, "Failed", null, null, innerException)
    {
    }

    public string NativeErrorName { get; }

    public uint? ErrorCode { get; }

    public string? ErrorType { get; }
}
