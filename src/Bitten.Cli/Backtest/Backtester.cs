using Bitten.Host.Configuration;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;

namespace Bitten.Cli.Backtest;

/// <summary>One raised signal and how it ended; <see cref="Outcome"/> is null while it was still open at the end.</summary>
public sealed record BacktestTrade(Signal Signal, SignalOutcome? Outcome)
{
    public string OutcomeName => Outcome is { } o ? o.Outcome.WireName() : "OPEN";
}

/// <summary>One M5 close (mid) of a symbol, for the price chart.</summary>
public readonly record struct PricePoint(long TimeMs, double Close);

/// <summary>The account's balance and equity at one moment, for the equity curve.</summary>
public readonly record struct EquityPoint(long TimeMs, decimal Balance, decimal Equity);

/// <summary>What the backtest's account did, and its equity over time (hourly, and at every fill and close).</summary>
public sealed record BacktestAccount(AccountResult Result, IReadOnlyList<EquityPoint> Equity);

/// <summary>What a backtest produced: the trades in the order they were raised, each symbol's M5 closes, and the account.</summary>
public sealed record BacktestResult(
    IReadOnlyList<BacktestTrade> Trades,
    IReadOnlyDictionary<string, IReadOnlyList<PricePoint>> Closes,
    long Ticks,
    long Faults,
    EliteGuardCounts Engine,
    BacktestAccount? Account = null)
{
    /// <summary>The replay's wall time, reading the files included.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Malformed lines and unreadable files passed over.</summary>
    public long SkippedLines { get; init; }

    public long SkippedFiles { get; init; }
}

/// <summary>
/// A backtest: the one replay runner (<see cref="ReplayRunner"/>: the live kernel, Elite Guard, outcome tracker and
/// execution desk, with a paper broker as the account's EA, on a manual clock) over recorded ticks, collecting what
/// the report shows.
/// </summary>
public static class Backtester
{
    /// <summary>
    /// The replay of a backtest: the option sections `bitten run` binds (so --EliteGuard:… changes the result), the
    /// account from the Backtest section, and the symbols and range asked for.
    /// </summary>
    public static ReplaySettings SettingsFrom(Settings settings, IReadOnlySet<string>? symbols, long? fromMs, long? toMs, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(warnings);
        return new ReplaySettings
        {
            Market = settings.Market,
            Kernel = settings.Kernel,
            EliteGuard = settings.EliteGuard,
            Execution = settings.Execution,
            News = LoadNews(settings.Execution, warnings),
            Accounts = [settings.Backtest.ToAccount()],
            Symbols = symbols,
            FromMs = fromMs,
            ToMs = toMs,
        };
    }

    /// <param name="files">Tick files, already discovered.</param>
    /// <param name="settings">The replay's options, range, symbols and account (the first account is reported).</param>
    /// <param name="progress">Where progress lines go (every 10 % of the bytes read), or null for none.</param>
    public static BacktestResult Run(IReadOnlyList<TickFile> files, ReplaySettings settings, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(settings);
        var symbols = new SymbolRegistry();
        var recorder = new Recorder(symbols);
        var reported = 0;
        var result = ReplayRunner.Run(files, settings, symbols, new ReplayListeners
        {
            Signals = recorder,
            Outcomes = recorder,
            Candles = recorder,
            Accounts = recorder,
            Progress = progress is null ? null : p =>
            {
                var tenths = (int)(p.Fraction * 10);
                if (tenths > reported)
                {
                    reported = tenths;
                    progress.WriteLine(FormattableString.Invariant(
                        $"backtest: {p.Fraction * 100,5:F1}% read ({p.FilesRead}/{p.Files} files), {p.Ticks:N0} ticks, {recorder.Signals.Count} signals, balance {recorder.Balance:N2}"));
                }
            },
        });
        progress?.WriteLine(FormattableString.Invariant(
            $"backtest: done, {result.Ticks:N0} ticks in {result.Elapsed.TotalSeconds:F1} s ({result.Ticks / Math.Max(1e-9, result.Elapsed.TotalSeconds):N0} ticks/s; kernel {result.EngineTime.TotalSeconds:F1} s, reading {(result.Elapsed - result.EngineTime).TotalSeconds:F1} s), {recorder.Signals.Count} signals"));
        if (result.Faults > 0)
        {
            // The kernel counts a failing message and carries on, as it must live; a backtest says so out loud.
            progress?.WriteLine($"backtest: warning: {result.Faults} kernel faults, last: {result.LastFault}");
        }

        if (result.SkippedLines > 0 || result.SkippedFiles > 0)
        {
            // Bad data does not stop a backtest, but it is never passed over in silence.
            progress?.WriteLine($"backtest: warning: {result.SkippedLines} malformed lines and {result.SkippedFiles} unreadable files skipped{(result.LastSkipped is { } last ? $", last: {last}" : "")}");
        }

        var trades = recorder.Signals.Select(s => new BacktestTrade(s, recorder.Outcomes.TryGetValue(s.SignalId, out var o) ? o : null)).ToList();
        var closes = recorder.Closes.ToDictionary(c => c.Key, c => (IReadOnlyList<PricePoint>)c.Value, StringComparer.Ordinal);
        var account = result.Accounts.Count > 0 ? new BacktestAccount(result.Accounts[0], recorder.EquityOf(result.Accounts[0])) : null;
        return new BacktestResult(trades, closes, result.Ticks, result.Faults, result.Engine, account)
        {
            Elapsed = result.Elapsed,
            SkippedLines = result.SkippedLines,
            SkippedFiles = result.SkippedFiles,
        };
    }

    private static NewsCalendar? LoadNews(ExecutionOptions options, TextWriter warnings)
    {
        if (options.NewsCalendar is not { } path)
        {
            return null;
        }

        var calendar = NewsCalendar.Parse(File.ReadAllText(path), out var errors);
        foreach (var error in errors)
        {
            warnings.WriteLine($"backtest: news calendar {path}: {error}");
        }

        return calendar;
    }

    /// <summary>Collects signals, outcomes, M5 closes and the first account's equity.</summary>
    private sealed class Recorder(SymbolRegistry symbols) : ISignalSink, IOutcomeSink, ICandleSink, IPaperAccountObserver
    {
        private const long Hour = 3_600_000;
        private readonly List<EquityPoint> _equity = [];
        private string? _uuid;

        public List<Signal> Signals { get; } = [];

        public Dictionary<string, SignalOutcome> Outcomes { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<PricePoint>> Closes { get; } = new(StringComparer.Ordinal);

        public decimal Balance { get; private set; }

        public void OnSignal(Signal signal) => Signals.Add(signal);

        public void OnResolved(in SignalOutcome outcome) => Outcomes[outcome.SignalId] = outcome;

        public void OnCandleClosed(in Candle candle)
        {
            if (candle.Timeframe != Timeframe.M5)
            {
                return;
            }

            var name = symbols.NameOf(candle.Symbol);
            if (!Closes.TryGetValue(name, out var list))
            {
                Closes[name] = list = [];
            }

            list.Add(new PricePoint(candle.CloseTimeMs, candle.Mid.Close));
        }

        public void OnFire(FireOrder order, FireConfirmation answer, long timeMs) => Sample(order.EaUuid, answer.Account, timeMs, always: answer.Success);

        public void OnClose(CloseConfirmation close, long timeMs) => Sample(close.Uuid, close.Account, timeMs, always: true);

        public void OnAccount(string eaUuid, AccountReport account, long timeMs) => Sample(eaUuid, account, timeMs, always: false);

        public IReadOnlyList<EquityPoint> EquityOf(AccountResult account) => _uuid is null || _uuid == account.User.EaUuid ? _equity : [];

        /// <summary>One point an hour from the heartbeats, and one at every fill and close, so the curve stays small.</summary>
        private void Sample(string? uuid, AccountReport account, long timeMs, bool always)
        {
            _uuid ??= uuid;
            if (uuid != _uuid)
            {
                return;
            }

            Balance = account.Balance;
            if (always || _equity.Count == 0 || timeMs / Hour != _equity[^1].TimeMs / Hour)
            {
                _equity.Add(new EquityPoint(timeMs, account.Balance, account.Equity));
            }
        }
    }
}
