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
