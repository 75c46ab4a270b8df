using System.Buffers;
using System.Text;

namespace Bitten.Domain.Primitives;

/// <summary>
/// The process-wide list of symbols seen, each given a dense <see cref="SymbolId"/>. Symbols are upper-cased
/// ("eurusd" and "EURUSD" are one symbol); broker suffixes such as ".r" are kept, since they name other instruments.
/// Safe to read from any thread; adding happens when an unseen symbol first arrives.
/// </summary>
/// <remarks>
/// Every symbol costs per-symbol state all over the process (validator, candles, indicators, counters), so what an
/// EA may add by merely sending a tick is bounded: <see cref="Admit"/> takes a new symbol only while the registry
/// holds fewer than the allowance, except the built-in catalogue's, which are always taken. Symbols a paired EA
/// declares in its HELLO, and those read back from our own store, are trusted and go through <see cref="GetOrAdd(string)"/>.
/// </remarks>
public sealed class SymbolRegistry
{
    public const int MaxSymbolBytes = 32;

    /// <summary>The default of <c>Market:MaxSymbols</c>.</summary>
    public const int DefaultMaxSymbols = 256;

    // Brokers name instruments with letters, digits and a few suffix marks: EURUSD.m, XAUUSD#, US30-ECN, GER_40.
    private static readonly SearchValues<byte> NameBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._#-"u8);

    private static readonly Utf8KeyTable Catalogue = CatalogueTable();

    private readonly Utf8KeyTable _table = new(ignoreCase: true, MaxSymbolBytes);

    public int Count => _table.Count;

    /// <summary>1–32 bytes of <c>[A-Za-z0-9._#-]</c>: anything else is no instrument name and is refused at the edge.</summary>
    public static bool IsValidName(ReadOnlySpan<byte> symbol) =>
        symbol.Length is > 0 and <= MaxSymbolBytes && !symbol.ContainsAnyExcept(NameBytes);

    public static bool IsValidName(string? symbol)
    {
        if (string.IsNullOrEmpty(symbol) || symbol.Length > MaxSymbolBytes)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxSymbolBytes];
        return Ascii.FromUtf16(symbol, bytes, out var written) == OperationStatus.Done && IsValidName(bytes[..written]);
    }

    /// <summary>
    /// The id of a symbol from untrusted input (a tick, a bar, an external signal): known symbols and catalogue
    /// symbols always; a new one only while fewer than <paramref name="maxSymbols"/> are registered. Never allocates
    /// for a known symbol.
    /// </summary>
    public RejectReason Admit(ReadOnlySpan<byte> symbol, int maxSymbols, out SymbolId id)
    {
        id = new SymbolId(_table.IndexOf(symbol));
        if (!id.IsNone)
        {
            return RejectReason.None;
        }

        if (!IsValidName(symbol))
        {
            return symbol.Length > MaxSymbolBytes ? RejectReason.SymbolTooLong : RejectReason.BadSymbol;
        }

        var limit = Catalogue.IndexOf(symbol) >= 0 ? int.MaxValue : maxSymbols;
        id = new SymbolId(_table.GetOrAdd(symbol, limit));
        return id.IsNone ? RejectReason.TooManySymbols : RejectReason.None;
    }

    /// <inheritdoc cref="Admit(ReadOnlySpan{byte}, int, out SymbolId)"/>
    public RejectReason Admit(string symbol, int maxSymbols, out SymbolId id) => Admit(Encoding.UTF8.GetBytes(symbol), maxSymbols, out id);

    /// <summary>Adds a symbol from a trusted source (an EA's declared specs, our own store, a tick file) with no allowance.</summary>
    public SymbolId GetOrAdd(ReadOnlySpan<byte> symbol) => new(_table.GetOrAdd(symbol));

    public SymbolId GetOrAdd(string symbol) => new(_table.GetOrAdd(symbol));

    public bool TryGet(ReadOnlySpan<byte> symbol, out SymbolId id)
    {
        id = new SymbolId(_table.IndexOf(symbol));
        return !id.IsNone;
    }

    public bool TryGet(string symbol, out SymbolId id)
    {
        id = new SymbolId(_table.IndexOf(symbol));
        return !id.IsNone;
    }

    public string NameOf(SymbolId id) => _table.KeyAt(id.Value);

    private static Utf8KeyTable CatalogueTable()
    {
        var table = new Utf8KeyTable(ignoreCase: true, MaxSymbolBytes);
        foreach (var spec in SymbolCatalogue.Default.All)
        {
            table.GetOrAdd(spec.Symbol);
        }

        return table;
    }
}
