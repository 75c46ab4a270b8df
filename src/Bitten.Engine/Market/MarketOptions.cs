namespace Bitten.Engine.Market;

/// <summary>Tick validation and candle rules (section <c>Market</c>).</summary>
public sealed class MarketOptions
{
    public const string Section = "Market";

    /// <summary>A tick whose mid moves more than this fraction from the symbol's last valid mid is refused (0.10 = 10%).</summary>
    public double MaxJumpFraction { get; set; } = 0.10;

    /// <summary>How far ahead of our clock a tick's time may be before it is refused (EA clocks drift; broker offsets get misdeclared).</summary>
    public int MaxFutureSkewSeconds { get; set; } = 60;

    /// <summary>A forming bar is closed by the clock this long after its end, if no later tick closed it first.</summary>
    public int BarCloseGraceMilliseconds { get; set; } = 500;

    /// <summary>
    /// How many symbols ticks and bars may bring into the process in all; a tick for a further new symbol is refused
    /// (too_many_symbols) so a flood of made-up names cannot grow per-symbol state. The built-in catalogue's symbols
    /// and those a paired EA declares in its HELLO are always taken.
    /// </summary>
    public int MaxSymbols { get; set; } = Bitten.Domain.Primitives.SymbolRegistry.DefaultMaxSymbols;

    public IEnumerable<string> Validate()
    {
        if (!(MaxJumpFraction > 0 && MaxJumpFraction < 10))
        {
            yield return "Market:MaxJumpFraction must be between 0 and 10";
        }

        if (MaxFutureSkewSeconds < 0)
        {
            yield return "Market:MaxFutureSkewSeconds must not be negative";
        }

        if (BarCloseGraceMilliseconds < 0)
        {
            yield return "Market:BarCloseGraceMilliseconds must not be negative";
        }

        if (MaxSymbols is < 1 or > 65_536)
        {
            yield return "Market:MaxSymbols must be between 1 and 65536";
        }
    }
}
