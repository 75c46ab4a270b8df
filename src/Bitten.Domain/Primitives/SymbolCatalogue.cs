using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Bitten.Domain.Primitives;

/// <summary>
/// What the platform needs to know about one instrument to turn prices into pips, round prices it sends out, floor
/// stops and size lots.
/// </summary>
/// <param name="Symbol">Upper-case symbol as the broker names it, e.g. "EURUSD".</param>
/// <param name="BaseCurrency">The currency (or metal) bought, e.g. "EUR", "XAU".</param>
/// <param name="QuoteCurrency">The currency prices are quoted in, e.g. "USD", "JPY".</param>
/// <param name="Digits">Decimal places of a quoted price; prices leaving the engine are rounded to this.</param>
/// <param name="PipSize">Price distance of one pip, e.g. 0.0001 for EURUSD, 0.01 for USDJPY, 0.1 for XAUUSD.</param>
/// <param name="MinStopPips">The broker's minimum stop distance in pips; stops are floored to it.</param>
/// <param name="ContractSize">Units of the base per 1.00 lot: 100,000 for FX, 100 oz for gold, 5,000 oz for silver.</param>
/// <param name="VolumeMin">Smallest lot the broker accepts.</param>
/// <param name="VolumeStep">Lot granularity; lots are rounded down to a multiple of it.</param>
/// <param name="VolumeMax">Largest lot per order.</param>
public sealed record SymbolSpec(
    string Symbol,
    string BaseCurrency,
    string QuoteCurrency,
    int Digits,
    double PipSize,
    double MinStopPips,
    double ContractSize,
    decimal VolumeMin = 0.01m,
    decimal VolumeStep = 0.01m,
    decimal VolumeMax = 100m);

/// <summary>
/// The one table of symbol specifications (DESIGN.md "Numbers"): pip size, digits, minimum stop and contract size
/// for the 19 symbols the original traded plus USDCAD and XAGUSD, which it had traded before disabling them.
/// Specs an EA reports override these built-in defaults through <see cref="WithOverride"/>. Immutable, so a
/// catalogue can be shared across threads and swapped atomically when an EA reports.
/// Symbols are matched ignoring case, as <see cref="SymbolRegistry"/> does.
/// </summary>
public sealed class SymbolCatalogue
{
    /// <summary>
    /// Minimum stop for symbols missing from the original's broker table (reference §2.2), which lists only exotics,
    /// metals and the JPY crosses. 10 pips is what the original itself fell back to (its ATR floor and its default
    /// stop_pips are both 10) and sits at or above the stop level brokers typically set for 5-digit majors, so a
    /// stop floored to it is accepted; an EA-reported spec replaces it with the broker's real figure.
    /// </summary>
    public const double DefaultMinStopPips = 10;

    private const double FxContract = 100_000;

    private readonly FrozenDictionary<string, SymbolSpec> _bySymbol;

    private SymbolCatalogue(IEnumerable<SymbolSpec> specs)
    {
        var list = specs.ToList();
        _bySymbol = list.ToFrozenDictionary(s => s.Symbol, StringComparer.OrdinalIgnoreCase);
        All = list;
    }

    /// <summary>The built-in table.</summary>
    public static SymbolCatalogue Default { get; } = new(BuiltIn());

    /// <summary>Every spec, in table order (overridden symbols keep their place; newly reported ones come last).</summary>
    public IReadOnlyList<SymbolSpec> All { get; }

    /// <summary>The spec of <paramref name="symbol"/>, or false for a symbol the catalogue does not know.</summary>
    public bool TryGet(string symbol, [MaybeNullWhen(false)] out SymbolSpec spec)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return _bySymbol.TryGetValue(symbol, out spec);
    }

    /// <summary>The spec of <paramref name="symbol"/>; throws <see cref="KeyNotFoundException"/> for an unknown one.</summary>
    public SymbolSpec Get(string symbol) => TryGet(symbol, out var spec)
        ? spec
        : throw new KeyNotFoundException(
            $"unknown symbol '{symbol}': the catalogue has {string.Join(' ', All.Select(s => s.Symbol))}; an EA-reported spec adds others");

    /// <summary>
    /// A new catalogue in which <paramref name="reported"/> replaces the spec of its symbol (or is added, for a
    /// symbol the built-in table lacks). This catalogue is unchanged.
    /// </summary>
    public SymbolCatalogue WithOverride(SymbolSpec reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        Validate(reported);
        var normalised = reported with { Symbol = reported.Symbol.ToUpperInvariant() };
        var replaced = false;
        var specs = new List<SymbolSpec>(All.Count + 1);
        foreach (var spec in All)
        {
            if (string.Equals(spec.Symbol, normalised.Symbol, StringComparison.OrdinalIgnoreCase))
            {
                specs.Add(normalised);
                replaced = true;
            }
            else
            {
                specs.Add(spec);
            }
        }

        if (!replaced)
        {
            specs.Add(normalised);
        }

        return new SymbolCatalogue(specs);
    }

    /// <summary>
    /// <paramref name="priceDistance"/> in pips of <paramref name="symbol"/>; the sign is kept, so pass an absolute
    /// distance for a stop size. Not rounded: 0.0012 on EURUSD is 12 pips up to double rounding.
    /// </summary>
    public double ToPips(string symbol, double priceDistance) => priceDistance / Get(symbol).PipSize;

    /// <summary>
    /// <paramref name="price"/> rounded to the symbol's digits, midpoints away from zero. Rounds through decimal so a
    /// price printed as 1.123455 rounds up as written, not down because its binary double is just below the midpoint.
    /// </summary>
    public double RoundPrice(string symbol, double price)
    {
        if (!double.IsFinite(price))
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "a price must be finite");
        }

        var digits = Get(symbol).Digits;
        return (double)Math.Round((decimal)price, digits, MidpointRounding.AwayFromZero);
    }

    private static void Validate(SymbolSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Symbol, nameof(spec));
        // decimal.Round accepts 0..28 places; brokers quote at most 8.
        if (spec.Digits is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Digits, $"{spec.Symbol}: digits must be 0..10");
        }

        if (!double.IsFinite(spec.PipSize) || spec.PipSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.PipSize, $"{spec.Symbol}: pip size must be positive");
        }

        if (!double.IsFinite(spec.MinStopPips) || spec.MinStopPips < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.MinStopPips, $"{spec.Symbol}: minimum stop must be non-negative");
        }

        if (!double.IsFinite(spec.ContractSize) || spec.ContractSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.ContractSize, $"{spec.Symbol}: contract size must be positive");
        }

        if (spec.VolumeStep <= 0 || spec.VolumeMin <= 0 || spec.VolumeMax < spec.VolumeMin)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"{spec.Symbol}: volumes need step > 0 and 0 < min ≤ max");
        }
    }

    private static IEnumerable<SymbolSpec> BuiltIn()
    {
        // Minimum stops from the original's broker table (reference §2.2); every other symbol gets DefaultMinStopPips.
        var minStops = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["USDCNH"] = 30,
            ["XAUUSD"] = 30,
            ["XAGUSD"] = 25,
            ["USDJPY"] = 15,
            ["EURJPY"] = 18,
            ["GBPJPY"] = 20,
            ["AUDJPY"] = 15,
            ["NZDJPY"] = 15,
        };

        string[] symbols =
        [
            "EURUSD", "GBPUSD", "USDCHF", "USDJPY", "AUDUSD", "NZDUSD", "EURJPY", "GBPJPY", "EURGBP", "EURAUD",
            "GBPCAD", "AUDJPY", "NZDJPY", "CHFJPY", "CADJPY", "AUDCAD", "USDCNH", "AUDNZD", "XAUUSD",
            "USDCAD", "XAGUSD",
        ];

        foreach (var symbol in symbols)
        {
            var (baseCurrency, quote) = (symbol[..3], symbol[3..]);
            var minStop = minStops.GetValueOrDefault(symbol, DefaultMinStopPips);
            yield return symbol switch
            {
                // Gold's pip is 0.1 everywhere (DESIGN.md), quoted to cents.
                "XAUUSD" => new SymbolSpec(symbol, baseCurrency, quote, 2, 0.1, minStop, 100),
                // Silver quoted to 3 places with a 1-cent pip, as the original's fire builder and /brief used.
                "XAGUSD" => new SymbolSpec(symbol, baseCurrency, quote, 3, 0.01, minStop, 5_000),
                _ when quote == "JPY" => new SymbolSpec(symbol, baseCurrency, quote, 3, 0.01, minStop, FxContract),
                _ => new SymbolSpec(symbol, baseCurrency, quote, 5, 0.0001, minStop, FxContract),
            };
        }
    }
}
