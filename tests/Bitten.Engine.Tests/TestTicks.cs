using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Tests;

/// <summary>Hand-built ticks on a fixed day, so each test states times as wall-clock readings.</summary>
internal static class TestTicks
{
    public static readonly SymbolId EurUsd = new(0);
    public static readonly SymbolId GbpUsd = new(1);

    /// <summary>2025-09-15 HH:mm:ss.fff UTC in Unix ms.</summary>
    public static long At(int hour, int minute, int second = 0, int millisecond = 0) =>
        new DateTimeOffset(2025, 9, 15, hour, minute, second, millisecond, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>A tick whose receive time equals its event time unless given.</summary>
    public static Tick Quote(double bid, double ask, long eventMs, long? receivedMs = null, SymbolId? symbol = null) =>
        new(symbol ?? EurUsd, bid, ask, eventMs, receivedMs ?? eventMs);
}
