using System.Globalization;
using System.Runtime.CompilerServices;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// Orchestrator 2025 reaches its database through OLE DB Driver 19, which encrypts the connection and validates the
/// server's certificate by default: a SQL Server whose certificate the hosts do not trust ("the certificate chain was
/// issued by an authority that is not trusted") stops Setup and the services (docs/facts/sql-client-encryption.md).
/// The runner connects once the way the driver does; each host's <c>SNI19.0\GeneralFlags\Flag2</c> says whether
/// TrustServerCertificate is set there. The runner's trust store is not the hosts': a trusted certificate here proves
/// the chain is sound, not that every host has its root — the evidence says so.
/// </summary>
public sealed class SqlCertificateTrustCheck : ICheck
{
    /// <summary>The OLE DB Driver 19 client settings; <c>Flag2</c> is TrustServerCertificate, its <c>Value</c> DWORD 1 = on.</summary>
    public const string Sni19Key = @"SOFTWARE\Microsoft\MSSQLServer\Client\SNI19.0";
    public const string TrustServerCertificateKey = Sni19Key + @"\GeneralFlags\Flag2";
    public const string DocsPage = "https://learn.microsoft.com/sql/connect/oledb/major-version-differences";

    // One probe per run and SQL Server, shared by every host's verdict (the connector is created per run).
    private readonly ConditionalWeakTable<ISqlConnector, Lazy<Task<SqlCertificateTrust>>> _probes = new();

    public string Id => "requirements.sql-certificate-trust";
    public string Title => "The SQL Server's certificate is trusted for OLE DB Driver 19's encrypted connection";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    // Every host that has OLE DB Driver 19 connects through it, the Runbook Designer machines included.
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target < TargetVersion.V2025)
        {
            return CheckOutcome.Skipped($"Orchestrator {context.Target.ToName()} connects through a driver that does not require encryption by default (2025's OLE DB Driver 19 does).");
        }

        if (context.Sql is not { } sql)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section, so there is no SQL Server to connect to.");
        }

        var probeTask = _probes.GetValue(sql, s => new Lazy<Task<SqlCertificateTrust>>(() => s.ProbeCertificateTrustAsync(cancellationToken)));
        var probe = await probeTask.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        var flag = await context.Facts.Registry.ReadKeyAsync(TrustServerCertificateKey, cancellationToken).ConfigureAwait(false);
        var trustsAny = flag.Presence switch
        {
            RegistryKeyPresence.Present => flag.Value("Value")?.Data is uint value ? value == 1 : (bool?)null,
            RegistryKeyPresence.Absent => false,
            _ => null,
        };
        var runnerEvidence = new Evidence("runner → " + sql.Description, $"{WireNames.Of(probe.Outcome)}: {probe.Detail}");
        var hostEvidence = new Evidence(flag.Location("Value"), flag.Presence switch
        {
            RegistryKeyPresence.Unknown => $"not exported ({flag.Source})",
            RegistryKeyPresence.Absent => $"key absent: TrustServerCertificate is off ({flag.Source})",
            _ => flag.Value("Value")?.Data is uint value
                ? string.Create(CultureInfo.InvariantCulture, $"Value {value}: TrustServerCertificate is {(value == 1 ? "on" : "off")} ({flag.Source})")
                : $"no Value DWORD under Flag2: unknown ({flag.Source})",
        });
        const string Scope = "What the runner proves is its own trust: each host validates the certificate against its own certificate store.";
        var remediation =
            "Any one of: (1) give SQL Server a certificate from a certification authority every Orchestrator host trusts (SQL Server Configuration Manager, " +
            "Protocols, Certificate) and restart it; (2) add the certificate's root to the Trusted Root Certification Authorities of every host (and of the runner); " +
            $"(3) accept any certificate on the hosts: run Setup with /TrustServerCertificate or set {TrustServerCertificateKey}\\Value = 1 (the connection stays encrypted " +
            $"but no longer proves whom it talks to). Sources: {DocsPage}, https://learn.microsoft.com/system-center/orchestrator/install.";

        switch (probe.Outcome)
        {
            case SqlCertificateTrustOutcome.Trusted:
                return CheckOutcome.Met($"The runner opened an encrypted connection to {sql.Description} and validated its certificate. {Scope}", runnerEvidence, hostEvidence);
            case SqlCertificateTrustOutcome.EncryptionRefused:
                return CheckOutcome.Unmet(
                    $"{sql.Description} offers no encryption, and OLE DB Driver 19 requires it by default: Orchestrator {context.TargetLevel.Name} cannot connect.",
                    "Let SQL Server encrypt connections (every supported SQL Server can; a proxy or an old driver setting in between may strip it), then give it a certificate the hosts trust. " + remediation,
                    runnerEvidence, hostEvidence);
            case SqlCertificateTrustOutcome.Untrusted when trustsAny == true:
                return CheckOutcome.Warning(
                    $"The runner does not trust {sql.Description}'s certificate, but this host has TrustServerCertificate on (SNI19.0 Flag2 = 1): OLE DB Driver 19 will connect here, encrypted, without proving the server's identity.",
                    "To keep the server's identity proven, use options (1) or (2) below and turn TrustServerCertificate off. " + remediation,
                    runnerEvidence, hostEvidence);
            case SqlCertificateTrustOutcome.Untrusted:
                return CheckOutcome.Unmet(
                    $"The runner does not trust {sql.Description}'s certificate, and {(trustsAny is null ? "whether TrustServerCertificate is on here is unknown" : "TrustServerCertificate is off on this host")}: " +
                    $"Orchestrator {context.TargetLevel.Name}'s OLE DB Driver 19 would fail with \"the certificate chain was issued by an authority that is not trusted\" unless this host trusts a root the runner does not. {Scope}",
                    remediation, runnerEvidence, hostEvidence);
            default:
                return CheckOutcome.Error($"Whether {sql.Description}'s certificate is trusted is unknown: {probe.Detail}", runnerEvidence, hostEvidence);
        }
    }
}
