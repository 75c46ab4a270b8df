using System.Collections.Frozen;
using Bitten.Domain.Primitives;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// Where a <see cref="TradingSpec"/> comes from: the user's EA (<see cref="FromReport"/>), or — only until it
/// reports — the documented fallback table (<see cref="Fallback"/>) for an account in USD.
/// </summary>
public static class TradingSpecs
{
    /// <summary>Lot limits assumed until the broker's are reported: what retail brokers commonly use.</summary>
    public const decimal FallbackVolumeMin = 0.01m;

    public const decimal FallbackVolumeStep = 0.01m;

    public const decimal FallbackVolumeMax = 100m;

    /// <summary>
    /// Typical rates used to turn a tick's value into USD when no live price is given, each as the market quotes it:
    /// USDJPY 150, USDCHF 0.9, USDCNH 7.2, USDCAD 1.35 (units per USD), GBPUSD 1.27, AUDUSD 0.66, NZDUSD 0.6 (USD per
    /// unit). Kept in the market's direction so GBP's 1.27 multiplies exactly instead of dividing by a rounded 1/1.27.
    /// Rough on purpose: the fallback only sizes lots until the EA reports its real tick value, and a rate 10% off
    /// sizes the lot 10% off, never by a factor.
    /// </summary>
    private static readonly FrozenDictionary<string, TypicalRate> TypicalRates = new Dictionary<string, TypicalRate>(StringComparer.Ordinal)
    {
        ["USD"] = new(1m, UsdPerUnit: true),
        ["JPY"] = new(150m, UsdPerUnit: false),
        ["CHF"] = new(0.9m, UsdPerUnit: false),
        ["CNH"] = new(7.2m, UsdPerUnit: false),
        ["CAD"] = new(1.35m, UsdPerUnit: false),
        ["GBP"] = new(1.27m, UsdPerUnit: true),
        ["AUD"] = new(0.66m, UsdPerUnit: true),
        ["NZD"] = new(0.6m, UsdPerUnit: true),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The fallback spec of <paramref name="symbol"/> for an account in USD. Tick size is the catalogue's point
    /// (10^-digits); tick value is what one point moves one lot (the catalogue's contract size) in USD:
    /// quote USD (EURUSD, XAUUSD): contract × tick size;
    /// base USD (USDJPY, USDCHF, USDCNH, USDCAD): contract × tick size / <paramref name="price"/>, or the typical rate
    /// when no price is given;
    /// crosses (EURJPY, EURGBP, GBPCAD…): contract × tick size converted at the quote currency's typical USD rate
    /// (<paramref name="price"/> is ignored: a cross's own price says nothing about its quote currency against USD).
    /// Volume 0.01 to 100 in steps of 0.01.
    /// </summary>
    /// <exception cref="ArgumentException">The symbol is not in <see cref="SymbolCatalogue.Default"/>.</exception>
    /// <seealso cref="TryFallback"/>
    public static TradingSpec Fallback(string symbol, double? price = null) => Build(symbol, price, out var problem) ?? throw problem!;

    /// <summary>
    /// The fallback spec, or null when there is none (a symbol outside the catalogue, a quote currency with no typical
    /// rate, a USD-based pair priced at nothing): the caller refuses the fire with <see cref="FireRefusal.NoTradingSpec"/>
    /// instead of throwing. The same rules as <see cref="Fallback"/>, which throws what this returns null for.
    /// </summary>
    public static TradingSpec? TryFallback(string symbol, double? price = null) => Build(symbol, price, out _);

    private static TradingSpec? Build(string symbol, double? price, out Exception? problem)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        problem = null;
        if (!SymbolCatalogue.Default.TryGet(symbol, out var catalogued))
        {
            problem = new ArgumentException(
                $"no fallback trading spec for '{symbol}': it is not in the symbol catalogue, so its lot can only be sized once the EA reports its tick value",
                nameof(symbol));
            return null;
        }

        var tickSize = Point(catalogued.Digits);
        var quoteValuePerTick = (decimal)catalogued.ContractSize * tickSize;
        var quote = catalogued.QuoteCurrency;
        decimal tickValue;
        if (catalogued.BaseCurrency == "USD" && price is { } livePrice)
        {
            if (!double.IsFinite(livePrice) || livePrice <= 0)
            {
                problem = new ArgumentOutOfRangeException(nameof(price), livePrice, $"{catalogued.Symbol}: a price must be positive");
                return null;
            }

            // For USDxxx the price is exactly the quote currency per USD.
            tickValue = quoteValuePerTick / (decimal)livePrice;
        }
        else if (TypicalRates.TryGetValue(quote, out var rate))
        {
            tickValue = rate.UsdPerUnit ? quoteValuePerTick * rate.Rate : quoteValuePerTick / rate.Rate;
        }
        else
        {
            problem = new ArgumentException(
                $"no fallback trading spec for '{catalogued.Symbol}': no typical USD rate for its quote currency {quote}",
                nameof(symbol));
            return null;
        }

        return new TradingSpec(
            catalogued.Symbol,
            catalogued.Digits,
            tickValue,
            (double)tickSize,
            FallbackVolumeMin,
            FallbackVolumeStep,
            FallbackVolumeMax,
            FromEa: false);
    }

    /// <summary>
    /// The spec the EA reported (HELLO <c>symbols</c>), or null when the report cannot size a lot safely — a
    /// non-positive tick value or size, volumes that are not 0 &lt; min ≤ max with a positive step, digits outside
    /// 0..10, no symbol — in which case the caller keeps using <see cref="Fallback"/>.
    /// </summary>
    public static TradingSpec? FromReport(
        string symbol, int digits, decimal tickValue, double tickSize, decimal volumeMin, decimal volumeStep, decimal volumeMax)
    {
        if (string.IsNullOrWhiteSpace(symbol)
            || digits is < 0 or > 10
            || tickValue <= 0
            || !double.IsFinite(tickSize) || tickSize <= 0
            || volumeMin <= 0 || volumeStep <= 0 || volumeMax < volumeMin)
        {
            return null;
        }

        return new TradingSpec(symbol.Trim().ToUpperInvariant(), digits, tickValue, tickSize, volumeMin, volumeStep, volumeMax, FromEa: true);
    }

    // 10^-digits in decimal, so 0.00001 is exact and converts to the same double as the literal.
    private static decimal Point(int digits)
    {
        var point = 1m;
        for (var i = 0; i < digits; i++)
        {
            point /= 10m;
        }

        return point;
    }

    private readonly record struct TypicalRate(decimal Rate, bool UsdPerUnit);
}
