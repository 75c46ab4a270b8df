using System.Data.Common;
using System.Globalization;

namespace Bitten.Persistence;

/// <summary>A closed candle as stored: the symbol by name (ids differ between runs), prices as bid, ask and mid OHLC.</summary>
public sealed record StoredCandle(string Symbol, int TimeframeMinutes, long OpenTimeMs, double[] Bid, double[] Ask, double[] Mid, int TickCount);

/// <summary>Closed candles (0006_candles): saved as they close, read back at start to warm the detectors' history.</summary>
public sealed class CandleStore(IDatabase database)
{
    private const string Columns = """
        symbol, timeframe, open_time_ms, bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close,
        mid_open, mid_high, mid_low, mid_close, tick_count
        """;

    /// <summary>Saves the candles (a candle saved twice keeps its first version) and drops those older than <paramref name="keepAfterMs"/>.</summary>
    public static void Save(IReadOnlyList<StoredCandle> candles, long keepAfterMs, DbConnection connection, DbTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(candles);
        ArgumentNullException.ThrowIfNull(connection);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO candles ({Columns})
            VALUES (@symbol, @timeframe, @open, @bo, @bh, @bl, @bc, @ao, @ah, @al, @ac, @mo, @mh, @ml, @mc, @ticks)
            ON CONFLICT (symbol, timeframe, open_time_ms) DO NOTHING
            """;
        string[] names = ["@symbol", "@timeframe", "@open", "@bo", "@bh", "@bl", "@bc", "@ao", "@ah", "@al", "@ac", "@mo", "@mh", "@ml", "@mc", "@ticks"];
        var parameters = names.Select(n => insert.Add(n, null)).ToArray();
        foreach (var c in candles)
        {
            object[] values = [c.Symbol, c.TimeframeMinutes, c.OpenTimeMs, .. c.Bid.Cast<object>(), .. c.Ask.Cast<object>(), .. c.Mid.Cast<object>(), c.TickCount];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            insert.ExecuteNonQuery();
        }

        using var prune = connection.CreateCommand();
        prune.Transaction = transaction;
        prune.CommandText = "DELETE FROM candles WHERE open_time_ms < @keep";
        prune.Add("@keep", keepAfterMs);
        prune.ExecuteNonQuery();
    }

    /// <summary>Each symbol's last <paramref name="perSymbol"/> candles of the timeframe, oldest first within a symbol.</summary>
    public IReadOnlyList<StoredCandle> Recent(int timeframeMinutes, int perSymbol)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM (
                SELECT {Columns}, ROW_NUMBER() OVER (PARTITION BY symbol ORDER BY open_time_ms DESC) AS newest
                FROM candles WHERE timeframe = @timeframe) ranked
            WHERE newest <= @count ORDER BY symbol, open_time_ms
            """;
        command.Add("@timeframe", timeframeMinutes);
        command.Add("@count", perSymbol);
        using var reader = command.ExecuteReader();
        var candles = new List<StoredCandle>();
        while (reader.Read())
        {
            double[] Prices(int from) => [reader.GetDouble(from), reader.GetDouble(from + 1), reader.GetDouble(from + 2), reader.GetDouble(from + 3)];
            candles.Add(new StoredCandle(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetInt64(2),
                Prices(3), Prices(7), Prices(11), Convert.ToInt32(reader.GetValue(15), CultureInfo.InvariantCulture)));
        }

        return candles;
    }
}
