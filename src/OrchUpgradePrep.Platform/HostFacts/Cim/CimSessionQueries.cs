using System.Runtime.Versioning;
using Microsoft.Management.Infrastructure;
using Microsoft.Management.Infrastructure.Options;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>The real <see cref="ICimQueries"/>: one WS-Management <see cref="CimSession"/> to the host, made on first use.
/// Each call runs on a worker thread with <see cref="CimOperationOptions.Timeout"/> and the caller's token.</summary>
[SupportedOSPlatform("windows")]
internal sealed class CimSessionQueries : ICimQueries, IDisposable
{
    private readonly string _host;
    private readonly CimHostFactsOptions _options;
    private readonly Lazy<CimSession> _session;

    public CimSessionQueries(string host, CimHostFactsOptions options)
    {
        _host = host;
        _options = options;
        _session = new Lazy<CimSession>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Endpoint => _options.Endpoint(_host);

    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<IReadOnlyDictionary<string, object?>>>(() =>
        {
            using var operation = Options(cimNamespace, cancellationToken);
            var rows = new List<IReadOnlyDictionary<string, object?>>();
            foreach (var instance in _session.Value.QueryInstances(cimNamespace, "WQL", wqlQuery, operation))
            {
                using (instance)
                {
                    rows.Add(ToRow(instance));
                }
            }

            return rows;
        }, cancellationToken);

    public Task<CimMethodOutput> InvokeAsync(
        string cimNamespace,
        string className,
        IReadOnlyDictionary<string, object>? instanceKeys,
        string methodName,
        IReadOnlyDictionary<string, object> arguments,
        CancellationToken cancellationToken) =>
        RunAsync(() =>
        {
            using var operation = Options(cimNamespace, cancellationToken);
            using var parameters = new CimMethodParametersCollection();
            foreach (var (name, value) in arguments)
            {
                parameters.Add(CimMethodParameter.Create(name, value, TypeOf(value), CimFlags.In));
            }

            CimMethodResult result;
            if (instanceKeys is null)
            {
                result = _session.Value.InvokeMethod(cimNamespace, className, methodName, parameters, operation);
            }
            else
            {
                using var instance = new CimInstance(className, cimNamespace);
                foreach (var (name, value) in instanceKeys)
                {
                    instance.CimInstanceProperties.Add(CimProperty.Create(name, value, TypeOf(value), CimFlags.Key));
                }

                result = _session.Value.InvokeMethod(cimNamespace, instance, methodName, parameters, operation);
            }

            using (result)
            {
                var outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in result.OutParameters)
                {
                    outputs[parameter.Name] = Plain(parameter.Value);
                }

                return new CimMethodOutput(Plain(result.ReturnValue?.Value), outputs);
            }
        }, cancellationToken);

    public void Dispose()
    {
        if (_session.IsValueCreated)
        {
            _session.Value.Dispose();
        }
    }

    private CimSession Connect()
    {
        // CimSession.Create only records where to go; the first operation connects, so its errors arrive per call.
        using var options = new WSManSessionOptions();
        if (_options.UseSsl)
        {
            options.UseSsl = true;
        }

        if (_options.Port is { } port)
        {
            options.DestinationPort = checked((uint)port);
        }

        return CimSession.Create(_host, options);
    }

    private CimOperationOptions Options(string cimNamespace, CancellationToken cancellationToken)
    {
        var options = new CimOperationOptions
        {
            Timeout = _options.CallTimeout,
            CancellationToken = cancellationToken,
        };

        if (string.Equals(cimNamespace, CimRegistry.Namespace, StringComparison.OrdinalIgnoreCase))
        {
            // StdRegProv in the 64-bit provider host sees the 64-bit registry, as the live adapter reads it.
            options.SetCustomOption("__ProviderArchitecture", 64, mustComply: false);
            options.SetCustomOption("__RequiredArchitecture", true, mustComply: false);
        }

        return options;
    }

    private async Task<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken)
    {
        try
        {
            // The MI client API blocks; WaitAsync lets the caller leave at once on cancel while the token stops the operation.
            return await Task.Run(call, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CimException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Translate(ex);
        }
        catch (CimException ex)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
    }

    private static CimCallException Translate(CimException exception)
    {
        uint? code = null;
        string? type = null;
        if (exception.ErrorData is { } data)
        {
            // MSFT_WmiError / OMI_Error: error_Code with error_Type (HRESULT, Win32, MI_RESULT) tells WinRM failures apart.
            code = data.CimInstanceProperties["error_Code"]?.Value switch
            {
                uint u => u,
                int i => unchecked((uint)i),
                long l => unchecked((uint)l),
                ulong ul => unchecked((uint)ul),
                _ => null,
            };
            type = data.CimInstanceProperties["error_Type"]?.Value as string;
        }

        var message = string.IsNullOrWhiteSpace(exception.Message) ? exception.NativeErrorCode.ToString() : exception.Message;
        return new CimCallException(message, exception.NativeErrorCode.ToString(), code, type, exception);
    }

    private static CimType TypeOf(object value) => value switch
    {
        uint => CimType.UInt32,
        ulong => CimType.UInt64,
        int => CimType.SInt32,
        string => CimType.String,
        _ => throw new ArgumentException($"unsupported CIM argument type {value.GetType().Name}", nameof(value)),
    };

    private static object? Plain(object? value) => value switch
    {
        CimInstance instance => ToRow(instance),
        CimInstance[] instances => instances.Select(i => (IReadOnlyDictionary<string, object?>)ToRow(i)).ToArray(),
        _ => value,
    };

    private static Dictionary<string, object?> ToRow(CimInstance instance)
    {
        var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in instance.CimInstanceProperties)
        {
            row[property.Name] = Plain(property.Value);
        }

        // Keep the class for evidence and for association rows.
        row.TryAdd("__CLASS", instance.CimSystemProperties.ClassName);
        return row;
    }
}
