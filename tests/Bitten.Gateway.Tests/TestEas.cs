using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Wire.Ea;

namespace Bitten.Gateway.Tests;

/// <summary>What the gateway tests' libzmq EAs say, and the signal they are fired for.</summary>
internal static class TestEas
{
    /// <summary>A HELLO with a 10,000 USD account; with <paramref name="eurUsdSpec"/> the terminal's EURUSD spec too.</summary>
    public static byte[] Hello(string uuid, bool eurUsdSpec = false) => new EaMessageWriter().Hello(uuid, "test",
        new AccountReport(10_000m, 10_000m, 0m, 10_000m, 0m, "USD", 500, "42", "TEST"), [],
        eurUsdSpec ? [new SymbolSpecReport("EURUSD", 5, 0.00001, 1m, 0.00001, 0.01m, 0.01m, 50m, 0)] : [], null, 1).ToArray();

    /// <summary>
    /// A BUY EURUSD BB_SCALP at 85 % with a 20-pip stop, live now (inside every default band); <paramref name="idMs"/>
    /// is the time in its id, which tells signals of one test apart.
    /// </summary>
    public static Signal BbScalpBuy(long idMs)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new Signal(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", idMs), "EURUSD", new SymbolId(0), Direction.Buy,
            1.10000, 1.09800, 1.10300, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", now, now + 1_800_000, now);
    }
}
