using System.Security.Cryptography;
using System.Text;

namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// The incoming side: the check calls through a Generic service connection whose password is ORCHPREP_AZDO_CHECK_SECRET,
/// so every request carries <c>Authorization: Basic base64(user:secret)</c>. Any user name; the password is compared
/// in constant time (over SHA-256 digests, so not even its length leaks).
/// </summary>
public sealed class CheckSecret
{
    private readonly byte[] _digest;

    public CheckSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    public bool Matches(string? authorization)
    {
        var password = BasicPassword(authorization);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password ?? string.Empty));
        // Compared even when there is no password, so a missing header costs the same time as a wrong one.
        return CryptographicOperations.FixedTimeEquals(digest, _digest) && password is not null;
    }

    /// <summary>The password of a Basic header, or null when the header is absent, another scheme or malformed.</summary>
    internal static string? BasicPassword(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[1024];
        var encoded = authorization.AsSpan(scheme.Length).Trim();
        if (!Convert.TryFromBase64Chars(encoded, decoded, out var length))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded[..length]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..];
    }

    /// <summary>The challenge a 401 carries.</summary>
    public const string Challenge = "Basic realm=\"orchprep\", charset=\"UTF-8\"";
}
