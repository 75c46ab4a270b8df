using Bitten.Domain.Events;
using Bitten.Persistence.Events;

namespace Bitten.Persistence.Tests;

public sealed class WalCheckpointerTests
{
    [Fact]
    public void KeepsTheWalWithinItsBoundWhileTheWriterNeverPauses()
    {
        using var temp = new TempDatabase();
        var database = temp.Open();
        const long bound = 256 * 1024;
        const int row = 16 * 1024;
        using var checkpointer = new WalCheckpointer(database, bound);
        using var writer = database.OpenConnection();
        checkpointer.TakeOver(writer);
        Execute(writer, "CREATE TABLE ballast (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
        // The migrations' pages out of the way: what the WAL holds from here on is this writer's.
        Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
        long longest = 0;
        var growth = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            using (var transaction = writer.BeginTransaction())
            {
                using var insert = writer.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO ballast (data) VALUES (zeroblob(@size))";
                insert.Parameters.AddWithValue("@size", row);
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            var length = new FileInfo(temp.Path + "-wal").Length;
            if (length > longest)
            {
                // What the checkpoints had done when the WAL was longest: the story of a failure, should one come.
                growth.Add($"#{i}: {length} B, {checkpointer.Checkpoints} background and {checkpointer.WriterCheckpoints} writer checkpoints, {checkpointer.WalFrames} frames left");
            }

            longest = Math.Max(longest, length);
            checkpointer.Committed(writer);
        }

        // 400 × 16 KiB written: twenty-five times the bound, which held (give or take one transaction's pages).
        Assert.True(longest >= row && longest <= bound + (4 * row), $"the WAL reached {longest} B (bound {bound}):\n" + string.Join("\n", growth.TakeLast(12)));
        Assert.True(checkpointer.Checkpoints + checkpointer.WriterCheckpoints > 0);
    }

    [Fact]
    public async Task LeavesTheEventLogsConnectionWithSqlitesOwnCheckpointsOnceItIsDone()
    {
        using var temp = new TempDatabase();
        var database = temp.Open();
        var log = new EventLog(database, temp.Time);
        log.Append(new EventEnvelope(EventTypes.SignalExpired, 1_763_000_000_000, "tracker", """{"signal_id":"S1"}"""));
        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        // Pooled: the connection the writer used is the one handed out next.
        using var next = database.OpenConnection();
        using var command = next.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";
        Assert.Equal(1000L, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
