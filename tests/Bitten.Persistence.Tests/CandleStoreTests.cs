namespace Bitten.Persistence.Tests;

public sealed class SqliteCandleStoreTests() : CandleStoreContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresCandleStoreTests() : CandleStoreContract(new PostgresTestStore());

/// <summary>Closed candles saved as they close and read back at start, whichever provider is behind them.</summary>
public abstract class CandleStoreContract(TestStore store) : IDisposable
{
    private const long T0 = 1_763_000_000_000;
    private const long M5 = 300_000;

    public void Dispose()
    {
        store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public void TheNewestCandlesOfEachSymbolComeBackOldestFirstExactly()
    {
        using var database = store.Open();
        using (var connection = database.OpenConnection())
        {
            for (var i = 0; i < 10; i++)
            {
                CandleStore.Save([Candle("EURUSD", i), Candle("XAUUSD", i)], 0, connection, null);
            }

            // An M1 candle is another timeframe; a candle saved twice keeps its first version.
            CandleStore.Save([Candle("EURUSD", 3) with { TimeframeMinutes = 1 }, Candle("EURUSD", 9) with { TickCount = 999 }], 0, connection, null);
        }

        var recent = new CandleStore(database).Recent(5, 4);

        Assert.Equal(["EURUSD", "EURUSD", "EURUSD", "EURUSD", "XAUUSD", "XAUUSD", "XAUUSD", "XAUUSD"], recent.Select(c => c.Symbol));
        Assert.Equal([6L, 7L, 8L, 9L], recent.Take(4).Select(c => (c.OpenTimeMs - T0) / M5));
        var last = recent[3];
        Assert.Equal(Candle("EURUSD", 9).Bid, last.Bid);
        Assert.Equal(Candle("EURUSD", 9).Ask, last.Ask);
        Assert.Equal(Candle("EURUSD", 9).Mid, last.Mid);
        Assert.Equal(19, last.TickCount);
    }

    [StoreFact]
    public void CandlesOlderThanTheKeepLineArePruned()
    {
        using var database = store.Open();
        using (var connection = database.OpenConnection())
        {
            CandleStore.Save([.. Enumerable.Range(0, 10).Select(i => Candle("EURUSD", i))], 0, connection, null);
            CandleStore.Save([Candle("EURUSD", 10)], T0 + (6 * M5), connection, null);
        }

        Assert.Equal([6L, 7L, 8L, 9L, 10L], new CandleStore(database).Recent(5, 100).Select(c => (c.OpenTimeMs - T0) / M5));
    }

    private static StoredCandle Candle(string symbol, int i)
    {
        var p = 1.1 + (i / 1000.0);
        return new StoredCandle(symbol, 5, T0 + (i * M5), [p, p + 0.0005, p - 0.0004, p + 0.0001], [p + 0.0001, p + 0.0006, p - 0.0003, p + 0.0002],
            [p + 0.00005, p + 0.00055, p - 0.00035, p + 0.00015], 10 + i);
    }
}
