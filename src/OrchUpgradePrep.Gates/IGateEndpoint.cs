using Microsoft.AspNetCore.Http;

namespace OrchUpgradePrep.Gates;

/// <summary>One POST endpoint of the gate service (the GitHub webhook, the Azure DevOps check).</summary>
public interface IGateEndpoint
{
    /// <summary>The route, e.g. <c>/github/webhook</c>; may hold route values such as <c>{environment}</c>.</summary>
    string Route { get; }

    /// <summary>Answers quickly (the caller times out in seconds); long work goes to <see cref="GateBackgroundWork"/>.</summary>
    Task HandleAsync(HttpContext context);
}
