using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256(secret, raw body)&gt;</c>, checked over the raw bytes before
/// anything is parsed, compared in constant time (a timing difference must not tell a caller how much was right).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";
    private const int HashBytes = 32;

    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(header) || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + (2 * HashBytes))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HashBytes];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The header value GitHub sends for <paramref name="body"/> (tests and tools sign with it).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
