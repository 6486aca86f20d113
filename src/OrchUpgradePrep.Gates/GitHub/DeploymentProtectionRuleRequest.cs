using System.Text.Json;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>What a <c>deployment_protection_rule</c> webhook with action <c>requested</c> carries that the gate uses.</summary>
public sealed record DeploymentProtectionRuleRequest(
    string Environment, Uri CallbackUrl, string Owner, string Repository, string HeadSha, long InstallationId)
{
    /// <summary>Reads the payload (already verified); null with a reason when a field the decision needs is missing.</summary>
    public static DeploymentProtectionRuleRequest? Parse(ReadOnlySpan<byte> body, out string? action, out string? problem)
    {
        action = null;
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            problem = "the body is not JSON";
            return null;
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, out action, out problem);
            }
            catch (InvalidOperationException)
            {
                // JsonDocument accepts "\ud800" escapes; reading such a string as .NET text throws.
                action = null;
                problem = "the body has a string that is not valid UTF-16 (a lone surrogate escape)";
                return null;
            }
        }
    }

    private static DeploymentProtectionRuleRequest? Read(JsonElement root, out string? action, out string? problem)
    {
        action = null;
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the body is not a JSON object";
            return null;
        }

        action = String(root, "action");
        var environment = String(root, "environment");
        var callback = String(root, "deployment_callback_url");
        var sha = Child(root, "deployment") is { } deployment ? String(deployment, "sha") : null;
        var repository = Child(root, "repository");
        var name = repository is { } r ? String(r, "name") : null;
        var owner = repository is { } o && Child(o, "owner") is { } ownerElement ? String(ownerElement, "login") : null;
        long? installation = Child(root, "installation") is { } i && i.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value : null;

        var missing = new List<string>();
        if (environment is null) missing.Add("environment");
        if (callback is null || !Uri.TryCreate(callback, UriKind.Absolute, out _)) missing.Add("deployment_callback_url");
        if (sha is null) missing.Add("deployment.sha");
        if (owner is null) missing.Add("repository.owner.login");
        if (name is null) missing.Add("repository.name");
        if (installation is null) missing.Add("installation.id");
        if (missing.Count > 0)
        {
            problem = "missing " + string.Join(", ", missing);
            return null;
        }

        return new DeploymentProtectionRuleRequest(environment!, new Uri(callback!), owner!, name!, sha!, installation!.Value);
    }

    private static JsonElement? Child(JsonElement element, string name) =>
        element.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
