using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

/// <summary>A handler whose behaviour is the delegate a test passes in.</summary>
internal sealed class ScriptedSqlHandler(Func<SqlRequest, ITdsResponse, CancellationToken, Task> script) : ISqlBatchHandler
{
    public Task ExecuteAsync(SqlRequest request, ITdsResponse response, CancellationToken cancellationToken) =>
        script(request, response, cancellationToken);

    /// <summary>Answers every statement with a one-row, one-column result: the statement text.</summary>
    public static ScriptedSqlHandler Echo() => new((request, response, ct) =>
        response.SendResultSetAsync([new TdsColumn("text", TdsColumnType.NVarChar(4000))], [[request.Text]], ct));
}
