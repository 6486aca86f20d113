using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Sql;

/// <summary>
/// Opens Microsoft.Data.SqlClient connections for an environment's <c>sql:</c> section. The password comes
/// only from the environment variable the config names (never from the file or argv); connections are pooled.
/// </summary>
public sealed class SqlClientConnector : ISqlConnector
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(60);

    private readonly SqlConfig _config;
    private readonly Func<string, string?> _getEnvironmentVariable;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _queryTimeout;

    public SqlClientConnector(SqlConfig config, Func<string, string?> getEnvironmentVariable, TimeSpan? connectTimeout = null, TimeSpan? queryTimeout = null)
    {
        _config = config;
        _getEnvironmentVariable = getEnvironmentVariable;
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
        _queryTimeout = queryTimeout ?? DefaultQueryTimeout;
    }

    public string Description => $"{_config.Server} / {_config.Database}";

    public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(ConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return new SqlClientSession(connection, _queryTimeout);
        }
        catch (SqlException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw SqlClientSession.Translate($"cannot log in to {Description}", ex, login: _config.Auth == SqlAuth.Sql ? _config.User : null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<SqlCertificateTrust> ProbeCertificateTrustAsync(CancellationToken cancellationToken)
    {
        string connectionString;
        try
        {
            // The config's credentials, but encryption mandatory, the certificate validated and no pooled connection
            // (a pooled one would answer without a handshake).
            connectionString = new SqlConnectionStringBuilder(ConnectionString())
            {
                Encrypt = SqlConnectionEncryptOption.Mandatory,
                TrustServerCertificate = false,
                Pooling = false,
            }.ConnectionString;
        }
        catch (SqlSessionException ex)
        {
            return new SqlCertificateTrust(SqlCertificateTrustOutcome.NotProbed, ex.Message);
        }

        await using var connection = new SqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return new SqlCertificateTrust(SqlCertificateTrustOutcome.Trusted,
                $"{Description}: encrypted connection opened with the server certificate validated by this machine");
        }
        catch (SqlException ex)
        {
            return Classify(ex);
        }
    }

    // What a failed probe proves, in this order: a server that offers no TLS; a rejected certificate (SqlClient wraps the
    // TLS stack's AuthenticationException — Linux: "…errors in the certificate chain: UntrustedRoot"; Windows: "The
    // certificate chain was issued by an authority that is not trusted"); a server that answered the login (18456, 4060, …),
    // which LOGIN7 reaches only inside TLS, so the certificate had already passed; else nothing proven.
    private SqlCertificateTrust Classify(SqlException ex)
    {
        var text = Flatten(ex);
        if (text.Contains("does not support encryption", StringComparison.OrdinalIgnoreCase))
        {
            return new SqlCertificateTrust(SqlCertificateTrustOutcome.EncryptionRefused, $"{Description}: {text}");
        }

        var rejectedByTls = false;
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            rejectedByTls |= inner is System.Security.Authentication.AuthenticationException;
        }

        if (rejectedByTls || text.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return new SqlCertificateTrust(SqlCertificateTrustOutcome.Untrusted, $"{Description}: {text}");
        }

        return ex.Number > 0 && ex.Class >= 11
            ? new SqlCertificateTrust(SqlCertificateTrustOutcome.Trusted,
                $"{Description}: the TLS handshake validated the certificate; the login after it failed (Msg {ex.Number}: {ex.Message})")
            : new SqlCertificateTrust(SqlCertificateTrustOutcome.Unreachable, $"{Description}: {text}");
    }

    private static string Flatten(Exception ex)
    {
        var parts = new List<string>();
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            // One line: the TLS stack's messages carry line breaks and quotes around them.
            var message = string.Join(' ', inner.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (!parts.Contains(message, StringComparer.Ordinal))
            {
                parts.Add(message);
            }
        }

        return string.Join(" → ", parts);
    }

    /// <summary>The connection string, password included: never print it.</summary>
    internal string ConnectionString()
    {
        var builder = new SqlConnectionStringBuilder
        {
            DataSource = _config.Server,
            InitialCatalog = _config.Database,
            ApplicationName = "orchprep",
            ConnectTimeout = Math.Max(1, (int)Math.Ceiling(_connectTimeout.TotalSeconds)),
            Encrypt = _config.Encrypt switch
            {
                SqlEncrypt.Optional => SqlConnectionEncryptOption.Optional,
                SqlEncrypt.Strict => SqlConnectionEncryptOption.Strict,
                _ => SqlConnectionEncryptOption.Mandatory,
            },
            TrustServerCertificate = _config.TrustServerCertificate,
            Pooling = true,
        };
        if (_config.Auth == SqlAuth.Integrated)
        {
            builder.IntegratedSecurity = true;
        }
        else
        {
            var variable = _config.PasswordEnv
                ?? throw new SqlSessionException("sql.auth is sql but sql.passwordEnv names no environment variable");
            builder.UserID = _config.User ?? throw new SqlSessionException("sql.auth is sql but sql.user is not set");
            builder.Password = _getEnvironmentVariable(variable) is { Length: > 0 } password
                ? password
                : throw new SqlSessionException($"the environment variable {variable} (sql.passwordEnv) is not set; set it from a pipeline secret");
        }

        return builder.ConnectionString;
    }
}
