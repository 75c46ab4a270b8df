using Bitten.Domain.Primitives;

namespace Bitten.Engine.Signals;

/// <summary>
/// The per-symbol pacing of PRODUCT.md §4: a cooldown after each signal (5 min) and at most 3 signals in any
/// 60 minutes. The hour is rolling, not the clock hour, so a burst across :59 → :00 cannot double the cap, and
/// times are the signals' own (event) times, so replay and live agree.
/// </summary>
public sealed class SignalGate
{
    private readonly long _cooldownMs;
    private readonly int _perHour;
    private long[][] _recent = [];
    private int[] _counts = [];

    public SignalGate(TimeSpan cooldown, int perHour)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        _cooldownMs = (long)cooldown.TotalMilliseconds;
        _perHour = perHour;
    }

    public static SignalGate Default() => new(TimeSpan.FromMinutes(5), 3);

    /// <summary>Whether a signal for <paramref name="symbol"/> at <paramref name="timeMs"/> is allowed; the reason when not.</summary>
    public bool Allows(SymbolId symbol, long timeMs, out string reason)
    {
        reason = "";
        if (symbol.Value >= _recent.Length || _counts[symbol.Value] == 0)
        {
            return true;
        }

        var recent = _recent[symbol.Value];
        var count = _counts[symbol.Value];
        var last = recent[(count - 1) % _perHour];
        if (timeMs - last < _cooldownMs)
        {
            reason = "cooldown";
            return false;
        }

        if (count >= _perHour && timeMs - recent[count % _perHour] < 3_600_000)
        {
            reason = "hourly_cap";
            return false;
        }

        return true;
    }

    /// <summary>Records a raised signal; call only after <see cref="Allows"/> said yes.</summary>
    public void Record(SymbolId symbol, long timeMs)
    {
        if (symbol.Value >= _recent.Length)
        {
            var size = Math.Max(symbol.Value + 1, Math.Max(8, _recent.Length * 2));
            var recent = new long[size][];
            Array.Copy(_recent, recent, _recent.Length);
            Array.Resize(ref _counts, size);
            _recent = recent;
        }

        var times = _recent[symbol.Value] ??= new long[_perHour];
        times[_counts[symbol.Value] % _perHour] = timeMs;
        _counts[symbol.Value]++;
    }
}
