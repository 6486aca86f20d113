using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

/// <summary>Starts sandbox servers and opens real SqlClient connections to them.</summary>
internal static class TdsTestServers
{
    public const string Login = "orchprep";
    public const string Password = "S4ndbox!pass";

    public static Task<TdsServer> StartAsync(ISqlBatchHandler handler, TdsEncryptionMode encryption = TdsEncryptionMode.NotSupported) =>
        TdsServer.StartAsync(
            new TdsServerOptions { Login = Login, Password = Password, Encryption = encryption },
            handler,
            TestContext.Current.CancellationToken);

    public static string ConnectionString(TdsServer server, string encrypt = "Optional", string password = Password, string extra = "") =>
        $"Data Source=127.0.0.1,{server.Port};User ID={Login};Password={password};Encrypt={encrypt};Pooling=false;Connect Timeout=10;{extra}";

    public static async Task<SqlConnection> OpenAsync(TdsServer server, string encrypt = "Optional", string extra = "")
    {
        var connection = new SqlConnection(ConnectionString(server, encrypt, extra: extra));
        try
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
