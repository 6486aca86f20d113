using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

public sealed class GitHubAppJwtTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Jwt_IsRs256_WithIssuedAtMinus60s_ExpiryPlus9Min_AndTheAppIdAsIssuer_SignedWithTheKey()
    {
        using var key = RSA.Create(2048);
        using var jwt = GitHubAppJwt.FromPem("424242", key.ExportPkcs8PrivateKeyPem(), new FakeTimeProvider(Now));

        var parts = jwt.Create().Split('.');

        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(Now.ToUnixTimeSeconds() - 60, claims.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds() + 540, claims.RootElement.GetProperty("exp").GetInt64());
        Assert.Equal(424242, claims.RootElement.GetProperty("iss").GetInt64());
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Pkcs1Key_AsGitHubDownloadsIt_IsRead()
    {
        using var key = RSA.Create(2048);
        using var jwt = GitHubAppJwt.FromPem("Iv1.abc", key.ExportRSAPrivateKeyPem(), new FakeTimeProvider(Now));

        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Create().Split('.')[1]));
        Assert.Equal("Iv1.abc", claims.RootElement.GetProperty("iss").GetString());
    }

    [Fact]
    public void NotAKey_IsAConfigError_ThatDoesNotShowTheValue()
    {
        var ex = Assert.Throws<ConfigException>(() => GitHubAppJwt.FromPem("1", "-----BEGIN RSA PRIVATE KEY-----\nnot-a-key-s3cr3t\n-----END RSA PRIVATE KEY-----", TimeProvider.System));
        Assert.DoesNotContain("s3cr3t", ex.Message);
        Assert.Contains("ORCHPREP_GITHUB_APP_PRIVATE_KEY", ex.Message);
    }
}
