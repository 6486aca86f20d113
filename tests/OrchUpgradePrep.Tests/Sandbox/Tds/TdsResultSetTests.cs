using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsResultSetTests
{
    private static readonly Guid BackupSetId = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    private static readonly DateTime Started = new(2026, 11, 24, 23, 15, 42, 123, DateTimeKind.Unspecified);
    private static readonly DateTime Finished = new DateTime(2026, 11, 24, 23, 16, 1, DateTimeKind.Unspecified).AddTicks(1234567);

    private static readonly TdsColumn[] BackupHistoryColumns =
    [
        new("database_name", TdsColumnType.NVarChar(128)),
        new("server_name", TdsColumnType.VarChar(128)),
        new("backup_set_id", TdsColumnType.Int),
        new("backup_size", TdsColumnType.BigInt),
        new("type_code", TdsColumnType.TinyInt),
        new("software_major", TdsColumnType.SmallInt),
        new("is_copy_only", TdsColumnType.Bit),
        new("backup_start_date", TdsColumnType.DateTime),
        new("backup_finish_date", TdsColumnType.DateTime2),
        new("last_lsn", TdsColumnType.Numeric(25, 0)),
        new("compression_ratio", TdsColumnType.Numeric(9, 4)),
        new("backup_set_uuid", TdsColumnType.UniqueIdentifier),
    ];

    [Fact]
    public async Task Typed_columns_and_nulls_read_back_with_their_values()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, response, ct) =>
            response.SendResultSetAsync(
                BackupHistoryColumns,
                [
                    ["Orchestrator", "ORCH-SQL01", 42, 5_368_709_120L, (byte)1, (short)16, true, Started, Finished, 98000000012345600001m, -1.2345m, BackupSetId],
                    [null, null, null, null, null, null, null, null, null, null, null, null],
                ],
                ct)));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("SELECT * FROM msdb.dbo.backupset", connection);
        var ct = TestContext.Current.CancellationToken;

        await using var reader = await command.ExecuteReaderAsync(ct);

        Assert.True(await reader.ReadAsync(ct));
        Assert.Equal("Orchestrator", reader.GetString(0));
        Assert.Equal("ORCH-SQL01", reader.GetString(1));
        Assert.Equal(42, reader.GetInt32(2));
        Assert.Equal(5_368_709_120L, reader.GetInt64(3));
        Assert.Equal((byte)1, reader.GetByte(4));
        Assert.Equal((short)16, reader.GetInt16(5));
        Assert.True(reader.GetBoolean(6));
        Assert.Equal(new DateTime(2026, 11, 24, 23, 15, 42, 123, DateTimeKind.Unspecified), reader.GetDateTime(7));
        Assert.Equal(Finished, reader.GetDateTime(8));
        Assert.Equal(98000000012345600001m, reader.GetDecimal(9));
        Assert.Equal(-1.2345m, reader.GetDecimal(10));
        Assert.Equal(BackupSetId, reader.GetGuid(11));
        // SqlClient names NUMERICN columns "decimal" (both map to SqlDbType.Decimal).
        Assert.Equal("decimal", reader.GetDataTypeName(9));
        Assert.Equal("datetime2", reader.GetDataTypeName(8));

        Assert.True(await reader.ReadAsync(ct));
        for (var column = 0; column < BackupHistoryColumns.Length; column++)
        {
            Assert.True(await reader.IsDBNullAsync(column, ct), $"column {column} should be NULL");
        }

        Assert.False(await reader.ReadAsync(ct));
    }

    [Theory]
    [InlineData(TdsEncryptionMode.NotSupported, "Optional", 512)]
    [InlineData(TdsEncryptionMode.NotSupported, "Optional", 4096)]
    [InlineData(TdsEncryptionMode.NotSupported, "Optional", 32768)]
    [InlineData(TdsEncryptionMode.Required, "Mandatory", 8000)]
    public async Task Result_larger_than_the_packet_size_reads_back_intact(TdsEncryptionMode encryption, string encrypt, int packetSize)
    {
        const int rowCount = 2000;
        var text = new string('x', 190);
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, response, ct) =>
            response.SendResultSetAsync(
                [new TdsColumn("n", TdsColumnType.Int), new TdsColumn("payload", TdsColumnType.NVarChar(200))],
                Enumerable.Range(0, rowCount).Select(i => (IReadOnlyList<object?>)[i, $"{i:D6}{text}"]),
                ct)), encryption);
        await using var connection = await TdsTestServers.OpenAsync(server, encrypt, $"Packet Size={packetSize};TrustServerCertificate=true");
        await using var command = new SqlCommand("SELECT n, payload FROM big", connection);
        var ct = TestContext.Current.CancellationToken;

        await using var reader = await command.ExecuteReaderAsync(ct);
        var read = 0;
        while (await reader.ReadAsync(ct))
        {
            Assert.Equal(read, reader.GetInt32(0));
            Assert.Equal($"{read:D6}{text}", reader.GetString(1));
            read++;
        }

        Assert.Equal(rowCount, read);
        Assert.Equal(packetSize, connection.PacketSize);
        Assert.Empty(server.ConnectionFailures);
    }

    [Fact]
    public async Task Several_result_sets_and_row_counts_in_one_batch()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (_, response, ct) =>
        {
            await response.SendDoneAsync(3, ct);
            await response.SendResultSetAsync([new TdsColumn("a", TdsColumnType.Int)], [[1], [2]], ct);
            await response.SendResultSetAsync([new TdsColumn("b", TdsColumnType.NVarChar(10))], [["z"]], ct);
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("UPDATE t SET x = 1; SELECT a FROM t; SELECT b FROM u", connection);
        var ct = TestContext.Current.CancellationToken;

        await using var reader = await command.ExecuteReaderAsync(ct);
        var first = new List<int>();
        while (await reader.ReadAsync(ct))
        {
            first.Add(reader.GetInt32(0));
        }

        Assert.True(await reader.NextResultAsync(ct));
        Assert.True(await reader.ReadAsync(ct));
        Assert.Equal("z", reader.GetString(0));
        Assert.False(await reader.NextResultAsync(ct));
        Assert.Equal([1, 2], first);
        Assert.Equal(3, reader.RecordsAffected);
    }

    [Fact]
    public async Task Change_database_updates_the_connection()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((request, response, ct) =>
            response.ChangeDatabaseAsync("msdb", ct)));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("USE msdb", connection);

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal("msdb", connection.Database);
    }
}
