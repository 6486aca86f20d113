using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

/// <summary>
/// A real HTTP server on 127.0.0.1 (free port) for the few tests that need the whole SocketsHttpHandler path.
/// Answers at most <c>maxRequests</c> requests from a script, records their headers, and stops on dispose.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly List<IReadOnlyDictionary<string, string>> _requests = [];

    public LoopbackHttpServer(Func<HttpListenerRequest, (HttpStatusCode Status, string Body)> respond, int maxRequests = 10)
    {
        var port = FreePort();
        Root = new Uri($"http://127.0.0.1:{port}/Orchestrator2012/Orchestrator.svc/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync(respond, maxRequests);
    }

    public Uri Root { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _listener.Close();
    }

    private async Task ServeAsync(Func<HttpListenerRequest, (HttpStatusCode Status, string Body)> respond, int maxRequests)
    {
        for (var i = 0; i < maxRequests && _listener.IsListening; i++)
        {
            var context = await _listener.GetContextAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            lock (_requests)
            {
                _requests.Add(headers);
            }

            var (status, body) = respond(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/atom+xml;charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
