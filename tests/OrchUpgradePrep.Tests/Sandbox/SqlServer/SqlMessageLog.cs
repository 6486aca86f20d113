using System.Diagnostics;
using Microsoft.Data.SqlClient;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>Collects every INFO/ERROR token of a connection as it arrives (FireInfoMessageEventOnUserErrors), with the
/// time it arrived, so tests can tell live progress from messages delivered at the end. Note: while it listens, errors of
/// class 11–16 arrive as events and do not throw (set FireInfoMessageEventOnUserErrors back to false to expect a SqlException).</summary>
internal sealed class SqlMessageLog
{
    private readonly Lock _gate = new();
    private readonly List<(SqlError Error, TimeSpan At)> _messages = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SqlMessageLog(SqlConnection connection)
    {
        connection.FireInfoMessageEventOnUserErrors = true;
        connection.InfoMessage += (_, e) =>
        {
            lock (_gate)
            {
                foreach (SqlError error in e.Errors)
                {
                    _messages.Add((error, _clock.Elapsed));
                }
            }
        };
    }

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<(SqlError Error, TimeSpan At)> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<int> Numbers => Messages.Select(m => m.Error.Number).ToList();

    public IReadOnlyList<SqlError> Of(int number) => Messages.Where(m => m.Error.Number == number).Select(m => m.Error).ToList();
}
