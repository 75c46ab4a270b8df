namespace Bitten.Domain.Primitives;

/// <summary>
/// The process-wide list of symbols seen, each given a dense <see cref="SymbolId"/>. Symbols are upper-cased
/// ("eurusd" and "EURUSD" are one symbol); broker suffixes such as ".r" are kept, since they name other instruments.
/// Safe to read from any thread; adding happens when an unseen symbol first arrives.
/// </summary>
public sealed class SymbolRegistry
{
    public const int MaxSymbolBytes = 32;

    private readonly Utf8KeyTable _table = new(ignoreCase: true, MaxSymbolBytes);

    public int Count => _table.Count;

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
}
