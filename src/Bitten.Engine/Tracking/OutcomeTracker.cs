using System.Runtime.ExceptionServices;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>
/// Follows every open signal tick by tick until its take-profit or stop-loss (PRODUCT.md §6), fixing the original
/// tracker's defects: a BUY is entered at the ask and judged on the bid, a SELL the reverse (the original used the
/// entry side, which made BUY targets easy and stops hard); the levels are the signal's own published levels; state
/// is kept (and can be saved and restored) instead of being reloaded and reset every minute.
/// <para>
/// Rules per tick with event time at or after the signal's time: the exit-side price hits the target when it is at
/// or beyond TP and the stop when at or beyond SL; if both hold, the stop counts. The exit price is that tick's
/// exit-side quote, so slippage through a gap is counted. Expiry is not an outcome: a signal stays open until a
/// level is reached, so every signal resolves.
/// </para>
/// <para>
/// Single-threaded (kernel). Open signals live in per-symbol arrays indexed by <see cref="SymbolId"/>, so a tick
/// looks only at its own symbol's signals, and steady-state ticks allocate nothing.
/// </para>
/// </summary>
public sealed class OutcomeTracker : Kernel.ITickObserver
{
    private const int InitialPerSymbol = 8;

    private readonly IOutcomeSink _sink;
    private readonly HashSet<string> _openIds = new(StringComparer.Ordinal);
    private OpenSignal[][] _open = [];
    private int[] _counts = [];
    private SignalOutcome[] _resolved = new SignalOutcome[InitialPerSymbol];
    private bool _dispatching;

    public OutcomeTracker(IOutcomeSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
    }

    public int OpenCount => _openIds.Count;

    /// <summary>Signals resolved since this instance was created.</summary>
    public long ResolvedCount { get; private set; }

    /// <summary>A snapshot of the open signals (per symbol, in tracking order) for persistence; allocates.</summary>
    public IReadOnlyList<OpenSignalState> Open
    {
        get
        {
            var states = new OpenSignalState[_openIds.Count];
            var n = 0;
            for (var symbol = 0; symbol < _counts.Length; symbol++)
            {
                var open = _open[symbol];
                for (var i = 0; i < _counts[symbol]; i++)
                {
                    ref readonly var s = ref open[i];
                    states[n++] = new OpenSignalState(s.Signal, s.PipSize, s.MaxFavourablePips, s.MaxAdversePips);
                }
            }

            return states;
        }
    }

    public bool IsOpen(string signalId) => _openIds.Contains(signalId);

    /// <summary>Starts following a new signal. <paramref name="pipSize"/> comes from the symbol catalogue.</summary>
    public void Track(Signal signal, double pipSize) => Add(signal, pipSize, 0, 0);

    /// <summary>Resumes signals saved from <see cref="Open"/>, excursions included.</summary>
    public void Restore(IEnumerable<OpenSignalState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        foreach (var state in states)
        {
            if (!(state.MaxFavourablePips >= 0) || !(state.MaxAdversePips >= 0))
            {
                throw new ArgumentException($"{state.Signal?.SignalId}: excursions must be non-negative pips", nameof(states));
            }

            Add(state.Signal, state.PipSize, state.MaxFavourablePips, state.MaxAdversePips);
        }
    }

    public void OnTick(in Tick tick)
    {
        var symbol = tick.Symbol.Value;
        if ((uint)symbol >= (uint)_counts.Length || _counts[symbol] == 0)
        {
            return;
        }

        if (_dispatching)
        {
            // The resolved buffer is being handed out; a nested tick would overwrite it.
            throw new InvalidOperationException("OnTick was called from inside IOutcomeSink.OnResolved");
        }

        var open = _open[symbol];
        var count = _counts[symbol];
        var kept = 0;
        var resolved = 0;
        for (var i = 0; i < count; i++)
        {
            ref var s = ref open[i];
            if (tick.EventTimeMs < s.TimestampMs || !s.Apply(tick, out var outcome))
            {
                // Compacting in place keeps the survivors in tracking order, so outcomes of one tick come out in
                // the order the signals were tracked: deterministic for replay hashes.
                if (kept != i)
                {
                    open[kept] = s;
                }

                kept++;
                continue;
            }

            if (resolved == _resolved.Length)
            {
                Array.Resize(ref _resolved, resolved * 2);
            }

            _resolved[resolved++] = outcome;
        }

        if (resolved == 0)
        {
            return;
        }

        // Drop references to resolved signals so they can be collected.
        Array.Clear(open, kept, count - kept);
        _counts[symbol] = kept;
        for (var i = 0; i < resolved; i++)
        {
            _openIds.Remove(_resolved[i].SignalId);
        }

        ResolvedCount += resolved;
        Dispatch(resolved);
    }

    /// <summary>
    /// Hands out outcomes after the tracker's own state is final, so a sink may track new signals. A throwing sink
    /// does not cost the remaining outcomes their delivery; the first failure is rethrown afterwards.
    /// </summary>
    private void Dispatch(int resolved)
    {
        ExceptionDispatchInfo? failure = null;
        _dispatching = true;
        try
        {
            for (var i = 0; i < resolved; i++)
            {
                try
                {
                    _sink.OnResolved(in _resolved[i]);
                }
                catch (Exception e)
                {
                    failure ??= ExceptionDispatchInfo.Capture(e);
                }
            }
        }
        finally
        {
            _dispatching = false;
            Array.Clear(_resolved, 0, resolved);
        }

        failure?.Throw();
    }

    private void Add(Signal signal, double pipSize, double maxFavourablePips, double maxAdversePips)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!(pipSize > 0) || double.IsInfinity(pipSize))
        {
            throw new ArgumentOutOfRangeException(nameof(pipSize), pipSize, $"{signal.SignalId}: pip size must be a positive number");
        }

        if (signal.SymbolId.IsNone)
        {
            throw new ArgumentException($"{signal.SignalId}: the signal has no symbol id", nameof(signal));
        }

        if (!double.IsFinite(signal.EntryPrice) || !double.IsFinite(signal.StopLoss) || !double.IsFinite(signal.TakeProfit))
        {
            // A NaN level would never be hit and the signal would stay open for ever.
            throw new ArgumentException($"{signal.SignalId}: entry, stop and target must be finite prices", nameof(signal));
        }

        if (!_openIds.Add(signal.SignalId))
        {
            throw new ArgumentException($"{signal.SignalId} is already being tracked", nameof(signal));
        }

        var symbol = signal.SymbolId.Value;
        if (symbol >= _counts.Length)
        {
            var size = Math.Max(symbol + 1, _counts.Length * 2);
            var grown = new OpenSignal[size][];
            Array.Copy(_open, grown, _open.Length);
            for (var i = _open.Length; i < size; i++)
            {
                grown[i] = [];
            }

            _open = grown;
            Array.Resize(ref _counts, size);
        }

        ref var list = ref _open[symbol];
        var count = _counts[symbol];
        if (count == list.Length)
        {
            Array.Resize(ref list, Math.Max(InitialPerSymbol, count * 2));
        }

        list[count] = new OpenSignal(signal, pipSize, maxFavourablePips, maxAdversePips);
        _counts[symbol] = count + 1;
    }

    /// <summary>The per-signal working state, with the levels copied out of the record so the loop reads one array.</summary>
    private struct OpenSignal
    {
        public readonly Signal Signal;
        public readonly double PipSize;
        public readonly long TimestampMs;
        private readonly double _entry;
        private readonly double _stopLoss;
        private readonly double _takeProfit;
        private readonly bool _isBuy;

        public OpenSignal(Signal signal, double pipSize, double maxFavourablePips, double maxAdversePips)
        {
            Signal = signal;
            PipSize = pipSize;
            TimestampMs = signal.TimestampMs;
            _entry = signal.EntryPrice;
            _stopLoss = signal.StopLoss;
            _takeProfit = signal.TakeProfit;
            _isBuy = signal.Direction == Direction.Buy;
            MaxFavourablePips = maxFavourablePips;
            MaxAdversePips = maxAdversePips;
        }

        public double MaxFavourablePips { get; private set; }

        public double MaxAdversePips { get; private set; }

        /// <summary>Updates the excursions with one tick and reports whether it closes the trade.</summary>
        public bool Apply(in Tick tick, out SignalOutcome outcome)
        {
            // The side of the spread the trade would be closed on: a long sells at the bid, a short buys at the ask.
            var price = _isBuy ? tick.Bid : tick.Ask;
            var pips = (_isBuy ? price - _entry : _entry - price) / PipSize;
            if (pips > MaxFavourablePips)
            {
                MaxFavourablePips = pips;
            }

            if (-pips > MaxAdversePips)
            {
                MaxAdversePips = -pips;
            }

            var stopHit = _isBuy ? price <= _stopLoss : price >= _stopLoss;
            var targetHit = _isBuy ? price >= _takeProfit : price <= _takeProfit;
            if (!stopHit && !targetHit)
            {
                outcome = default;
                return false;
            }

            outcome = new SignalOutcome(
                Signal.SignalId,
                // Conservative: when one tick satisfies both levels we cannot know which came first.
                stopHit ? Outcome.Loss : Outcome.Win,
                price,
                tick.EventTimeMs,
                pips,
                (tick.EventTimeMs - TimestampMs) / (double)UnixMs.Minute,
                MaxFavourablePips,
                MaxAdversePips);
            return true;
        }
    }
}
