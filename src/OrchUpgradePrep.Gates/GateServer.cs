using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrchUpgradePrep.Gates;

/// <summary>
/// `orchprep gate serve`: Kestrel with a health endpoint (up and version only: it answers anyone, so it names no
/// environment, route or workload) and the configured gate endpoints. The empty builder reads
/// no appsettings and logs nothing of its own: every line the service writes goes through <see cref="GateLog"/>,
/// which masks secrets.
/// </summary>
public sealed class GateServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GateBackgroundWork _work;
    private int _disposed;

    private GateServer(WebApplication app, GateBackgroundWork work)
    {
        _app = app;
        _work = work;
    }

    public IReadOnlyList<Uri> Addresses => _app.Urls.Select(u => new Uri(u)).ToArray();

    public static async Task<GateServer> StartAsync(
        GateSettings settings, IReadOnlyList<IGateEndpoint> endpoints, GateBackgroundWork work, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(endpoints);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel's own cap backs up GateRequestBody's: nothing much larger is ever read.
            kestrel.Limits.MaxRequestBodySize = GateSettings.MaxBodyBytes + 1;
        });
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/healthz", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = "ok", version }), context.RequestAborted);
        });
        foreach (var endpoint in endpoints)
        {
            app.MapPost(endpoint.Route, endpoint.HandleAsync);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new GateServer(app, work);
    }

    /// <summary>Stops taking requests, lets decisions in flight finish (bounded), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _work.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
