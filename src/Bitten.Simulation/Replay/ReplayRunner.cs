using System.Runtime.CompilerServices;
using System.Diagnostics;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Ea;

namespace Bitten.Simulation.Replay;

/// <summary>
/// Replay: recorded ticks + paper brokers + a manual clock, through the live kernel pieces — candles, Elite Guard
/// with CITADEL and the gates, the outcome tracker, and the execution desk with each account's paper broker as its
/// EA (<see cref="InProcessEas"/>). All trading state lives on the caller's thread, in tick order, so the same ticks
/// and settings always give the same signals, fires and balances. The ticks are streamed a block at a time
/// (<see cref="TickStream"/>), read ahead on a second thread when there is a second core (<see cref="TickPrefetch"/>):
/// memory does not grow with the length of the data.
/// </summary>
/// <remarks>The one replay of the system: <c>bitten backtest</c>, <c>bitten bench replay</c> and the determinism test.</remarks>
public static class ReplayRunner
{
    private const int BlockTicks = 4096;

    /// <param name="symbols">Where the replay's symbol ids come from (a listener can name a candle's symbol with it).</param>
    public static ReplayResult Run(IReadOnlyList<TickFile> files, ReplaySettings settings, SymbolRegistry? symbols = null, ReplayListeners? listeners = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(settings);
        listeners ??= new ReplayListeners();
        symbols ??= new SymbolRegistry();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<TickFile> selected = settings.Symbols is { } keep ? [.. files.Where(f => keep.Contains(f.Symbol))] : files;
        var stream = new TickStream(selected, symbols, settings.FromMs, settings.ToMs);
        if (!stream.TryPeekTime(out var firstMs))
        {
            return new ReplayResult(0, 0, 0, 0, null, default, 0, TimeSpan.Zero, TimeSpan.Zero, Stopwatch.GetElapsedTime(started),
                [.. settings.Accounts.Select(a => new AccountResult(a.User, a.Ea.Balance, a.Ea.Balance, a.Ea.Balance, 0, 0, 0, 0,
                    new Dictionary<string, long>(), 0))])
            {
                SkippedLines = stream.SkippedLines,
                SkippedFiles = stream.SkippedFiles,
                LastSkipped = stream.LastSkipped,
            };
        }

        var clock = new ReplayClock(firstMs);
        var kernel = new TradingKernel(clock, settings.Market, settings.Kernel);
        var eas = new InProcessEas([.. settings.Accounts.Select(a => a.Ea)], symbols, listeners.Accounts);
        var refusals = new RefusalTally();
        var desk = new ExecutionDesk(clock, settings.Execution, eas, refusals, settings.News);
        foreach (var account in settings.Accounts)
        {
            desk.UpsertUser(account.User with { EaUuid = account.Ea.Uuid });
        }

        // As `bitten run` wires it: the desk hears the clock and ticks, and takes each signal after the listeners.
        kernel.Subscribe((IClockObserver)desk);
        kernel.Subscribe((ITickObserver)desk);
        var outcomes = listeners.Outcomes ?? NoOutcomes.Instance;
        var time = new ReplayTime(clock, firstMs, settings.ClockMessages ? settings.Kernel.ClockIntervalMilliseconds : 0);
        var deskSignals = new SyncedDesk(time, desk);
        var pipeline = SignalPipeline.Create(symbols, settings.EliteGuard, outcomes, listeners.Signals is { } heard ? new SignalFanout(heard, deskSignals) : deskSignals);
        var guard = new TimedGuard(pipeline.Guard);
        kernel.Subscribe(guard);
        kernel.Subscribe(pipeline.Tracker);
        kernel.Subscribe((ITickObserver)eas);
        if (listeners.Candles is { } candles)
        {
            kernel.Subscribe(candles);
        }

        eas.Connect(desk, selected.Select(f => f.Symbol).Distinct(StringComparer.Ordinal), firstMs);

        // The kernel's clock message comes every interval of replay time from the first tick, in time order between
        // ticks, exactly as the running kernel's timer posts it; each is followed by the EAs' turn, as every tick is.
        time.OnClock = () =>
        {
            kernel.Handle(KernelMessage.ForClock());
            eas.Pump(clock.NowMs);
        };

        var ownBlock = new Tick[BlockTicks];
        var engine = 0L;
        var ticks = 0L;
        var skippedLines = 0L;
        var skippedFiles = 0L;
        string? lastSkipped = null;
        var day = -1L;
        var shiftMs = 0L;
        for (var pass = 0; pass < Math.Max(1, settings.Passes); pass++)
        {
            if (pass > 0)
            {
                // The next pass starts the UTC day after the last one ended, so days and sessions keep their hours.
                shiftMs = ((time.NowMs / UnixMs.Day) + 1) * UnixMs.Day - ((firstMs / UnixMs.Day) * UnixMs.Day);
                stream.Dispose();
                stream = new TickStream(selected, symbols, settings.FromMs, settings.ToMs);
            }

            var filesRead = 0;
            using var prefetch = Environment.ProcessorCount > 1 ? new TickPrefetch(stream, BlockTicks) : null;
            while (true)
            {
                ReadOnlySpan<Tick> block;
                ReplayProgress read;
                if (prefetch is not null)
                {
                    prefetch.Next(out block, out read);
                }
                else
                {
                    block = ownBlock.AsSpan(0, stream.Read(ownBlock));
                    read = stream.Progress;
                }

                if (block.IsEmpty)
                {
                    break;
                }

                var count = block.Length;
                var blockStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    var tick = shiftMs == 0 ? block[i]
                        : block[i] with { EventTimeMs = block[i].EventTimeMs + shiftMs, ReceivedTimeMs = block[i].ReceivedTimeMs + shiftMs };
                    if (listeners.Daily is { } daily && tick.EventTimeMs / UnixMs.Day != day)
                    {
                        day = tick.EventTimeMs / UnixMs.Day;
                        daily(new ReplayDay(day * UnixMs.Day, desk.Footprint, pipeline.Tracker.OpenCount));
                    }

                    var moved = time.MoveTo(tick.EventTimeMs);
                    var nowMs = time.NowMs;
                    if (moved && eas.IsDue(nowMs))
                    {
                        // Without clock messages the EAs still check in before the tick, so a quiet spell (a weekend) does
                        // not leave them looking offline when the tick that ends it raises a signal.
                        time.Sync();
                        eas.Pump(nowMs);
                    }

                    kernel.Handle(KernelMessage.ForTick(tick));
                    if (eas.IsDue(nowMs))
                    {
                        time.Sync();
                        eas.Pump(nowMs);
                    }
                }

                engine += Stopwatch.GetTimestamp() - blockStart;
                if (listeners.Progress is { } progress && read.FilesRead != filesRead)
                {
                    filesRead = read.FilesRead;
                    progress(read);
                }
            }

            ticks += stream.Ticks;
            skippedLines += stream.SkippedLines;
            skippedFiles += stream.SkippedFiles;
            lastSkipped = stream.LastSkipped ?? lastSkipped;
        }

        stream.Dispose();

        var accounts = new List<AccountResult>(settings.Accounts.Count);
        foreach (var account in settings.Accounts)
        {
            var uuid = account.Ea.Uuid;
            var broker = eas.BrokerOf(uuid);
            var end = broker.Account;
            accounts.Add(new AccountResult(account.User with { EaUuid = uuid }, account.Ea.Balance, end.Balance, end.Equity, broker.FiresReceived, broker.Fills,
                eas.ClosesOf(uuid), broker.Positions.Count, refusals.Of(account.User.UserId), eas.MaxDrawdownPercentOf(uuid)));
        }

        return new ReplayResult(ticks, firstMs, time.NowMs, kernel.Faults, kernel.LastFault, pipeline.Guard.Counts, guard.M5Closes, guard.Time,
            Stopwatch.GetElapsedTime(0, engine), Stopwatch.GetElapsedTime(started), accounts)
        {
            SkippedLines = skippedLines,
            SkippedFiles = skippedFiles,
            LastSkipped = lastSkipped,
        };
    }

    /// <summary>
    /// Replay time and the replay clock. With clock messages (every <c>intervalMs</c> from the start, as a timer on a
    /// manual clock would fire them: the clock reads each one's time while it is handled) the clock follows every tick;
    /// without, it is only moved when the desk is about to read it (a signal, an EA's turn), which changes nothing the
    /// desk sees.
    /// </summary>
    private sealed class ReplayTime(ReplayClock clock, long startMs, long intervalMs)
    {
        private long _clockMs = startMs;
        private long _nextClockMs = intervalMs > 0 ? startMs + intervalMs : long.MaxValue;

        public long NowMs { get; private set; } = startMs;

        /// <summary>A clock message and the EAs' turn after it, at the clock's time.</summary>
        public Action? OnClock { get; set; }

        /// <summary>A tick's time; false when it is not later (the merged stream can repeat a millisecond, and time never goes back).</summary>
        public bool MoveTo(long ms)
        {
            if (ms <= NowMs)
            {
                return false;
            }

            NowMs = ms;
            if (intervalMs > 0)
            {
                Sync();
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Sync()
        {
            if (NowMs > _clockMs)
            {
                // Noted before the move: a clock message may raise a signal, which must not move the clock again.
                _clockMs = NowMs;
                while (_nextClockMs <= NowMs)
                {
                    clock.NowMs = _nextClockMs;
                    _nextClockMs += intervalMs;
                    OnClock?.Invoke();
                }

                clock.NowMs = NowMs;
            }
        }
    }

    /// <summary>The desk's signal input, with the clock brought up to the tick first.</summary>
    private sealed class SyncedDesk(ReplayTime time, ExecutionDesk desk) : ISignalSink
    {
        public void OnSignal(Signal signal)
        {
            time.Sync();
            desk.OnSignal(signal);
        }
    }

    private sealed class NoOutcomes : IOutcomeSink
    {
        public static readonly NoOutcomes Instance = new();

        public void OnResolved(in SignalOutcome outcome)
        {
        }
    }

    /// <summary>Times Elite Guard's work on M5 closes (the other candles pass straight through).</summary>
    private sealed class TimedGuard(EliteGuard guard) : ICandleSink
    {
        private long _ticks;

        public long M5Closes { get; private set; }

        public TimeSpan Time => Stopwatch.GetElapsedTime(0, _ticks);

        public void OnCandleClosed(in Candle candle)
        {
            if (candle.Timeframe != Timeframe.M5)
            {
                guard.OnCandleClosed(in candle);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            guard.OnCandleClosed(in candle);
            _ticks += Stopwatch.GetTimestamp() - start;
            M5Closes++;
        }
    }
}
