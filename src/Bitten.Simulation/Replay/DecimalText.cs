using System.Runtime.CompilerServices;
using System.Buffers.Text;

namespace Bitten.Simulation.Replay;

/// <summary>
/// Parses the plain decimals of tick files (<c>1.38710</c>, <c>40.1868</c>) several times faster than
/// <see cref="Utf8Parser"/>, to the same double: up to 15 digits and an optional point, the digits are an exact
/// integer below 2^53 and 10^k is exact, so one IEEE division rounds correctly, as Utf8Parser does. Anything else
/// (a sign, an exponent, more digits) goes to Utf8Parser, so the result never differs.
/// </summary>
internal static class DecimalText
{
    private static readonly double[] Powers =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    /// <summary>As <see cref="Utf8Parser.TryParse(ReadOnlySpan{byte}, out double, out int, char)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out double value, out int consumed)
    {
        long digits = 0;
        var count = 0;
        var i = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            digits = (digits * 10) + (text[i] - '0');
            i++;
        }

        count = i;
        var fraction = 0;
        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                digits = (digits * 10) + (text[i] - '0');
                i++;
            }

            fraction = i - start;
            count += fraction;
            if (fraction == 0)
            {
                return Utf8Parser.TryParse(text, out value, out consumed); // "1." — leave the edge to the reference
            }
        }

        if (count == 0 || count > 15 || (i < text.Length && (text[i] | 0x20) == 'e'))
        {
            return Utf8Parser.TryParse(text, out value, out consumed);
        }

        value = fraction == 0 ? digits : digits / Powers[fraction];
        consumed = i;
        return true;
    }
}
