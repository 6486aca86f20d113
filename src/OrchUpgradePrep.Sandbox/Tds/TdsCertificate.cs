using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>The sandbox's self-signed TLS certificate (CN=localhost, SAN localhost and 127.0.0.1).</summary>
internal static class TdsCertificate
{
    public static X509Certificate2 CreateSelfSigned(DateTimeOffset now)
    {
        // ECDSA P-256: generating it takes a millisecond where an RSA-2048 key takes tens to hundreds (every sandbox start pays it).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        // An ephemeral key cannot be used by SslStream on every platform; a PFX round trip makes it persistable.
        var pfx = ephemeral.Export(X509ContentType.Pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }
}
