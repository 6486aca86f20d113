using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// The GitHub App's JSON Web Token (RS256): iss = app id, iat = now − 60 s (clock drift), exp = now + 9 min (GitHub
/// allows 10). It only buys installation tokens; the caller masks every JWT before it is used.
/// </summary>
public sealed class GitHubAppJwt : IDisposable
{
    private readonly RSA _key;
    private readonly string _appId;
    private readonly TimeProvider _time;

    private GitHubAppJwt(RSA key, string appId, TimeProvider time)
    {
        _key = key;
        _appId = appId;
        _time = time;
    }

    /// <summary>Reads the App's private key (PKCS#1 or PKCS#8 PEM); a bad key is a <see cref="ConfigException"/> that never shows it.</summary>
    public static GitHubAppJwt FromPem(string appId, string privateKeyPem, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPem);
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ConfigException($"{GateSettings.GitHubAppPrivateKeyVariable}: not an RSA private key in PEM form ({ex.GetType().Name}).");
        }

        return new GitHubAppJwt(key, appId, time);
    }

    public string Create()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" });
        using var payloadStream = new MemoryStream();
        using (var json = new Utf8JsonWriter(payloadStream))
        {
            json.WriteStartObject();
            json.WriteNumber("iat", now - 60);
            json.WriteNumber("exp", now + (9 * 60));
            // The numeric app id is written as a number, a client id ("Iv1…") as a string: GitHub takes either.
            if (long.TryParse(_appId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
            {
                json.WriteNumber("iss", numeric);
            }
            else
            {
                json.WriteString("iss", _appId);
            }

            json.WriteEndObject();
        }

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payloadStream.ToArray());
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => _key.Dispose();
}
