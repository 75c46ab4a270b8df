using System.Globalization;
using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Gateway.Market;

namespace Bitten.Host.Status;

/// <summary>The compact live status a trader watches: ticks per second of the busiest symbols, bars closed, rejects.</summary>
public sealed class StatusLine
{
    /// <summary>Symbols named on the line, the busiest by ticks per second; the rest are counted.</summary>
    public const int ShownSymbols = 8;

    private readonly SymbolRegistry _symbols;
    private readonly MarketBridge _bridge;
    private readonly TradingKernel? _kernel;
    private readonly ComponentHealth _health;
    private readonly TimeProvider _clock;
    private long[] _lastTicks = [];
    private long _lastAt;

    private readonly Bitten.Engine.Signals.EliteGuard? _guard;
    private readonly OutcomeLog? _outcomes;
    private readonly Bitten.Gateway.Execution.EaGatewayStats? _execution;

    public StatusLine(SymbolRegistry symbols, MarketBridge bridge, TradingKernel? kernel, ComponentHealth health, TimeProvider clock,
        Bitten.Engine.Signals.EliteGuard? guard = null, OutcomeLog? outcomes = null, Bitten.Gateway.Execution.EaGatewayStats? execution = null)
    {
        _execution = execution;
        _guard = guard;
        _outcomes = outcomes;
        _symbols = symbols;
        _bridge = bridge;
        _kernel = kernel;
        _health = health;
        _clock = clock;
        _lastAt = clock.GetTimestamp();
    }

    public string Next()
    {
        var elapsed = Math.Max(_clock.GetElapsedTime(_lastAt).TotalSeconds, 1e-3);
        _lastAt = _clock.GetTimestamp();
        var count = _symbols.Count;
        if (_lastTicks.Length < count)
        {
            Array.Resize(ref _lastTicks, count);
        }

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{_clock.GetUtcNow():HH:mm:ss} ticks/s");
        if (count == 0)
        {
            line.Append(" (waiting for an EA)");
        }

        var rates = new (double PerSecond, int Symbol)[count];
        for (var i = 0; i < count; i++)
        {
            var ticks = _bridge.Stats.Symbol(new SymbolId(i)).Ticks;
            rates[i] = ((ticks - _lastTicks[i]) / elapsed, i);
            _lastTicks[i] = ticks;
        }

        // The busiest first (ties in the order the symbols arrived), and only a few: a line, not a wall of symbols.
        Array.Sort(rates, static (a, b) => a.PerSecond != b.PerSecond ? b.PerSecond.CompareTo(a.PerSecond) : a.Symbol.CompareTo(b.Symbol));
        foreach (var (perSecond, symbol) in rates.AsSpan(0, Math.Min(count, ShownSymbols)))
        {
            line.Append(CultureInfo.InvariantCulture, $" {_symbols.NameOf(new SymbolId(symbol))} {perSecond:F1}");
        }

        if (count > ShownSymbols)
        {
            line.Append(CultureInfo.InvariantCulture, $" +{count - ShownSymbols} more");
        }

        var stats = _bridge.Stats;
        line.Append(CultureInfo.InvariantCulture, $" | in {stats.Received} out {stats.Published} rejected {stats.TotalRejected}");
        if (stats.TotalRejected > 0)
        {
            line.Append(" (").Append(Rejects()).Append(')');
        }
        if (_kernel is not null)
        {
            var c = _kernel.Candles;
            line.Append(CultureInfo.InvariantCulture, $" | bars M1 {c.ClosedM1} M5 {c.ClosedM5} M15 {c.ClosedM15}");
            if (_guard is { HistoryBarsWarmed: > 0 } guard)
            {
                // The EA's history in the look-back: why signals can come before the engine has closed bars of its own.
                line.Append(CultureInfo.InvariantCulture, $" (+{guard.HistoryBarsWarmed} M5 from EA history)");
            }
        }

        if (_guard is not null && _outcomes is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $" | signals {_guard.Raised} (won {_outcomes.Wins}, lost {_outcomes.Losses})");
        }

        if (_execution is not null)
        {
            line.Append(CultureInfo.InvariantCulture,
                $" | fires sent {_execution.Sent} filled/failed {_execution.Fills} closed {_execution.Closes}");
            if (_execution.Impostors > 0 || _execution.UnknownEas > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $" (refused EAs: {_execution.Impostors} impostor, {_execution.UnknownEas} unknown)");
            }
        }

        foreach (var (component, state, _) in _health.Snapshot())
        {
            if (state != ComponentState.Running)
            {
                line.Append(CultureInfo.InvariantCulture, $" | {component} {state}");
            }
        }

        return line.ToString();
    }

    /// <summary>Rejects by reason, for the closing summary.</summary>
    public string Rejects()
    {
        var rejects = _bridge.Stats.RejectedByReason();
        return rejects.Count == 0 ? "none" : string.Join(", ", rejects.Select(r => $"{r.Key} {r.Value}"));
    }
}
