using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Gates.AzureDevOps;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Fuzz;

/// <summary>How one input ended: accepted, or refused with the parser's documented error (its message kept).</summary>
internal sealed record FuzzOutcome(bool Accepted, string? Error)
{
    public static FuzzOutcome Ok { get; } = new(true, null);

    public static FuzzOutcome Refused(string error) => new(false, error);
}

/// <summary>An input ended in something other than success or the documented error: a finding.</summary>
internal sealed class FuzzContractException(string message) : Exception(message);

/// <summary>
/// One target per parser that reads hostile input. Each defines what "a clear error" is for its parser and turns
/// exactly that into <see cref="FuzzOutcome.Refused"/>; every other exception escapes and is a finding. The fuzz
/// console (SharpFuzz or the built-in mutation loop) and the property tests use these same functions.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>Inputs above this are cut before a target sees them; each parser's own limits are far above it or enforced.</summary>
    public const int MaxInputBytes = 256 * 1024;

    public const string Secret = "fuzz-secret";

    public static IReadOnlyDictionary<string, Func<byte[], CancellationToken, ValueTask<FuzzOutcome>>> All { get; } =
        new Dictionary<string, Func<byte[], CancellationToken, ValueTask<FuzzOutcome>>>(StringComparer.Ordinal)
        {
            ["config"] = (input, _) => ValueTask.FromResult(Config(input)),
            ["reg"] = (input, _) => ValueTask.FromResult(Reg(input)),
            ["atom"] = AtomAsync,
            ["tds"] = TdsAsync,
            ["github-webhook"] = (input, _) => ValueTask.FromResult(GitHubWebhook(input)),
            ["azdo-headers"] = (input, _) => ValueTask.FromResult(AzureDevOpsHeaders(input)),
        };

    /// <summary>orchprep.yml, decoded as ConfigLoader.Load does (strictly; BOM sniffing, UTF-8 otherwise).
    /// Clear error: <see cref="ConfigException"/> whose message names the file.</summary>
    public static FuzzOutcome Config(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var config = ConfigLoader.Parse(ConfigLoader.Decode(input, "fuzz.yml"), "fuzz.yml");
            Require(config.Environments.Count > 0, "config: accepted a config without environments");
            return FuzzOutcome.Ok;
        }
        catch (ConfigException e)
        {
            Require(e.Message.StartsWith("fuzz.yml", StringComparison.Ordinal), $"config: the error does not name the file: {e.Message}");
            return FuzzOutcome.Refused(e.Message);
        }
    }

    /// <summary>A <c>reg export</c> file. Clear error: <see cref="RegExportFormatException"/> naming file and line.</summary>
    public static FuzzOutcome Reg(byte[] input)
    {
        try
        {
            var file = RegExportParser.Parse(input, "fuzz.reg");
            foreach (var key in file.Keys)
            {
                Require(key.Path.StartsWith("HKEY_", StringComparison.Ordinal), $"reg: key path '{key.Path}' has no root");
                foreach (var value in key.Values)
                {
                    Require(value.Data is not null, "reg: a value without data");
                }
            }

            return FuzzOutcome.Ok;
        }
        catch (RegExportFormatException e)
        {
            Require(e.Line >= 1 && e.Message.StartsWith($"fuzz.reg, line {e.Line}: ", StringComparison.Ordinal), $"reg: the error names no line: {e.Message}");
            return FuzzOutcome.Refused(e.Message);
        }
    }

    /// <summary>An OData Atom answer read as a feed, an entry and an error document, every property read through
    /// each typed accessor. Clear error: <see cref="OrchestratorApiException"/>; the error reader returns null instead.</summary>
    public static async ValueTask<FuzzOutcome> AtomAsync(byte[] input, CancellationToken cancellationToken)
    {
        const long maxCharacters = 1024 * 1024;
        var errors = new List<string>();
        var accepted = false;
        try
        {
            var feed = await AtomFeedReader.ReadFeedAsync(input, new Uri("http://orch:81/Orchestrator2012/Orchestrator.svc/Jobs"), maxCharacters, cancellationToken);
            Require(feed.Count is null or >= 0, "atom: negative m:count");
            var before = errors.Count;
            foreach (var entry in feed.Entries)
            {
                ReadProperties(entry, errors);
            }

            accepted |= errors.Count == before;
        }
        catch (OrchestratorApiException e)
        {
            errors.Add(e.Message);
        }

        try
        {
            var before = errors.Count;
            ReadProperties(await AtomFeedReader.ReadEntryAsync(input, "W/\"1\"", maxCharacters, cancellationToken), errors);
            accepted |= errors.Count == before;
        }
        catch (OrchestratorApiException e)
        {
            errors.Add(e.Message);
        }

        var message = await AtomFeedReader.ReadErrorMessageAsync(input, maxCharacters, cancellationToken);
        Require(message is null or { Length: > 0 and <= 501 }, "atom: error message not shortened");
        foreach (var error in errors)
        {
            Require(error.Length > 0, "atom: an empty error message");
        }

        return accepted ? FuzzOutcome.Ok : FuzzOutcome.Refused(errors[0]);
    }

    /// <summary>Each property through the accessor its m:type calls for, as the API client reads them.</summary>
    private static void ReadProperties(AtomEntry entry, List<string> errors)
    {
        foreach (var property in entry.Properties)
        {
            try
            {
                _ = property.EdmType switch
                {
                    "Edm.Guid" => entry.Guid(property.Name)?.ToString(),
                    "Edm.DateTime" => entry.DateTime(property.Name)?.ToString(CultureInfo.InvariantCulture),
                    "Edm.Boolean" => entry.Boolean(property.Name).ToString(),
                    _ => entry.Text(property.Name),
                };
            }
            catch (OrchestratorApiException e)
            {
                errors.Add(e.Message);
            }
        }
    }

    /// <summary>The client side of a TDS connection as the sandbox server reads it: packets into messages, each message
    /// parsed by its type; the raw input is also parsed as each payload kind. Clear error: <see cref="TdsProtocolException"/>.</summary>
    public static async ValueTask<FuzzOutcome> TdsAsync(byte[] input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>();
        try
        {
            var reader = new TdsPacketReader(new MemoryStream(input, writable: false));
            for (var i = 0; i < 64; i++)
            {
                var message = await reader.ReadMessageAsync(cancellationToken);
                if (message is null)
                {
                    break;
                }

                Require(message.Payload.Length <= TdsPacketReader.MaxMessageBytes, "tds: message over the size cap");
                TdsPayload(message.Type, message.Payload, errors);
            }
        }
        catch (TdsProtocolException e)
        {
            errors.Add(e.Message);
        }

        // The raw input as each payload kind too, so mutations reach the payload parsers without valid framing.
        var streamErrors = errors.Count;
        foreach (var type in (TdsPacketType[])[TdsPacketType.PreLogin, TdsPacketType.Login7, TdsPacketType.SqlBatch, TdsPacketType.Rpc])
        {
            TdsPayload(type, input, errors);
        }

        foreach (var error in errors)
        {
            Require(error.Length > 0, "tds: an empty error message");
        }

        return streamErrors == 0 ? FuzzOutcome.Ok : FuzzOutcome.Refused(errors[0]);
    }

    private static void TdsPayload(TdsPacketType type, byte[] payload, List<string> errors)
    {
        try
        {
            switch (type)
            {
                case TdsPacketType.PreLogin:
                    PreLoginMessage.ReadClientEncryption(payload);
                    break;
                case TdsPacketType.Login7:
                    Login7Request.Parse(payload);
                    break;
                case TdsPacketType.SqlBatch:
                    SqlBatchParser.ReadBatchText(payload);
                    break;
                case TdsPacketType.Rpc:
                    var call = SqlBatchParser.ReadRpc(payload);
                    Require(call.Parameters.Count <= payload.Length, "tds: more RPC parameters than payload bytes");
                    break;
            }
        }
        catch (TdsProtocolException e)
        {
            errors.Add(e.Message);
        }
    }

    /// <summary>A GitHub delivery: first line the X-Hub-Signature-256 header, the rest the body. Clear error: false from
    /// the signature check, null with a problem from the payload parser.</summary>
    public static FuzzOutcome GitHubWebhook(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var newline = Array.IndexOf(input, (byte)'\n');
        var header = newline < 0 ? null : Encoding.UTF8.GetString(input, 0, newline).TrimEnd('\r');
        var body = newline < 0 ? input : input[(newline + 1)..];

        var signed = WebhookSignature.IsValid(Secret, body, header);
        Require(WebhookSignature.IsValid(Secret, body, WebhookSignature.Sign(Secret, body)), "github: a correctly signed body does not verify");
        Require(!signed || string.Equals(header, WebhookSignature.Sign(Secret, body), StringComparison.OrdinalIgnoreCase), "github: a header other than the body's signature verified");

        var request = DeploymentProtectionRuleRequest.Parse(body, out var action, out var problem);
        Require((request is null) == (problem is not null), $"github: parse returned request={request is not null} problem={problem ?? "null"}");
        Require(action is null || action.Length > 0, "github: empty action");
        return request is null ? FuzzOutcome.Refused(problem!) : FuzzOutcome.Ok;
    }

    /// <summary>An Azure DevOps check call's headers, one <c>Name: value</c> a line. Clear error: false from the secret
    /// check, null with a problem naming the header from <see cref="AzureDevOpsPlan.FromHeaders"/>.</summary>
    public static FuzzOutcome AzureDevOpsHeaders(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var headers = new HeaderDictionary();
        string? authorization = null;
        foreach (var line in Encoding.UTF8.GetString(input).Split('\n').Take(64))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim('\r', ' ');
            if (name.Length == 0)
            {
                continue;
            }

            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = value;
            }

            headers.Append(name, value);
        }

        var secret = new CheckSecret(Secret);
        var matches = secret.Matches(authorization);
        Require(!matches || CheckSecret.BasicPassword(authorization) == Secret, "azdo: matched a header whose password is not the secret");

        var plan = AzureDevOpsPlan.FromHeaders(headers, out var problem);
        Require((plan is null) == (problem is not null), "azdo: FromHeaders returned neither a plan nor a problem");
        if (plan is null)
        {
            return FuzzOutcome.Refused(problem!);
        }

        Require(plan.PlanRoot.IsAbsoluteUri && plan.PlanUrl.AbsolutePath.EndsWith('/'), "azdo: the plan URL does not end in /");
        return FuzzOutcome.Ok;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FuzzContractException(problem);
        }
    }
}
