namespace Bitten.Domain.Primitives;

/// <summary>
/// A symbol as a small dense integer, so per-symbol state on the hot path lives in arrays instead of
/// string-keyed dictionaries. The name is kept by <see cref="SymbolRegistry"/>.
/// </summary>
public readonly record struct SymbolId(int Value)
{
    public static readonly SymbolId None = new(-1);

    public bool IsNone => Value < 0;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
