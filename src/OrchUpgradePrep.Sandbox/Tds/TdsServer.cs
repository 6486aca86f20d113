using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// A TDS 7.4 server on 127.0.0.1 that Microsoft.Data.SqlClient logs into. It speaks the protocol only;
/// an <see cref="ISqlBatchHandler"/> decides what each statement means.
/// </summary>
public sealed class TdsServer : IAsyncDisposable
{
    /// <summary>A generous cap so the accept loop is bounded.</summary>
    private const long MaxAcceptedConnections = 10_000_000;

    /// <summary>SQL Server numbers user sessions from 51.</summary>
    private const int FirstConnectionId = 51;

    private readonly TdsServerOptions _options;
    private readonly ISqlBatchHandler _handler;
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly List<SqlRequest> _audit = [];
    private readonly List<Exception> _connectionFailures = [];
    private readonly HashSet<Task> _connections = [];
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private TdsServer(TdsServerOptions options, ISqlBatchHandler handler, TcpListener listener, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        _options = options;
        _handler = handler;
        _listener = listener;
        _certificate = certificate;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Raised for every request before the handler runs (on the connection's task).</summary>
    public event EventHandler<SqlRequest>? RequestReceived;

    public int Port { get; }

    /// <summary>Every request received, in arrival order (a snapshot).</summary>
    public IReadOnlyList<SqlRequest> Audit
    {
        get
        {
            lock (_gate)
            {
                return [.. _audit];
            }
        }
    }

    /// <summary>Why connections ended abnormally (protocol faults, TLS failures), for diagnosing tests.</summary>
    public IReadOnlyList<Exception> ConnectionFailures
    {
        get
        {
            lock (_gate)
            {
                return [.. _connectionFailures];
            }
        }
    }

    public static Task<TdsServer> StartAsync(TdsServerOptions options, ISqlBatchHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var certificate = options.Encryption == TdsEncryptionMode.NotSupported ? null : TdsCertificate.CreateSelfSigned(options.Time.GetUtcNow());
        var listener = new TcpListener(IPAddress.Loopback, options.Port);
        try
        {
            listener.Start();
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }

        var server = new TdsServer(options, handler, listener, certificate, cancellationToken);
        server._acceptLoop = server.AcceptLoopAsync();
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] running;
        lock (_gate)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running);
        _listener.Dispose();
        _certificate?.Dispose();
        _slots.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            for (long accepted = 0; accepted < MaxAcceptedConnections; accepted++)
            {
                await _slots.WaitAsync(token);
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(token);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                var connection = ServeAsync(client, FirstConnectionId + (int)(accepted % 30_000), token);
                lock (_gate)
                {
                    if (!connection.IsCompleted)
                    {
                        _connections.Add(connection);
                    }
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Stopping: the listener was closed under the pending accept.
        }
    }

    private async Task ServeAsync(TcpClient client, int connectionId, CancellationToken cancellationToken)
    {
        // Yield first so the accept loop registers this task before it can finish.
        await Task.Yield();
        try
        {
            client.NoDelay = true;
            await using var network = client.GetStream();
            var connection = new TdsConnection(network, connectionId, _options, _handler, _certificate, Record);
            await connection.RunAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Server shutting down.
        }
        catch (SqlConnectionDroppedException)
        {
            // A scenario cut the connection on purpose.
        }
        catch (Exception error)
        {
            lock (_gate)
            {
                _connectionFailures.Add(error);
            }
        }
        finally
        {
            client.Dispose();
            _slots.Release();
            lock (_gate)
            {
                _connections.RemoveWhere(task => task.IsCompleted);
            }
        }
    }

    private void Record(SqlRequest request)
    {
        lock (_gate)
        {
            _audit.Add(request);
        }

        RequestReceived?.Invoke(this, request);
    }
}
