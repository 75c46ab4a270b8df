using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Host.Execution;
using Bitten.Host.Recovery;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Host.Tests;

/// <summary>
/// The one start path, on a real SQLite store: what one process start left behind (the event log, a checkpoint,
/// the fire journal, stored candles), the next start finds and puts back.
/// </summary>
public sealed class StartupRecoveryTests : IDisposable
{
    private static readonly HostRole[] Engine = [HostRole.Engine, HostRole.EventLog];

    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task AFirstStartOnAnEmptyStoreFindsNothing()
    {
        await using var services = _store.Services(Engine);

        var report = services.GetRequiredService<StartupRecovery>().Run();

        Assert.Equal(new RecoveryReport(0, 0, 0, 0, 0, 0, 0, 0, 0, [], 0, 0), report with { KeptOn = [], SwitchedOff = null });
        Assert.Empty(report.KeptOn);
        Assert.Empty(report.SwitchedOff!);
    }

    [Fact]
    public async Task SignalsInTheEventLogComeBackAndTheOpenOnesAreTrackedAgain()
    {
        var open = Signals.Make("EURUSD", 1);
        var resolved = Signals.Make("XAUUSD", 2, pattern: PatternType.VcbBreakout);
        await using (var first = _store.Services(Engine))
        {
            // The first run dies after recording, before any checkpoint: only the event log knows these signals.
            var recorder = first.GetRequiredService<EventRecorder>();
            recorder.OnSignal(open);
            recorder.OnSignal(resolved);
            recorder.OnResolved(Signals.Win(resolved, Signals.Start + 60_000));
            await first.GetRequiredService<EventLog>().FlushAsync();
        }

        await using var second = _store.Services(Engine);
        var report = second.GetRequiredService<StartupRecovery>().Run();
        var kernel = second.GetRequiredService<TradingKernel>();
        var tracker = second.GetRequiredService<SignalPipeline>().Tracker;
        kernel.Start();
        var tracking = await kernel.AskAsync(() => tracker.Open.Select(t => t.Signal.SignalId).ToList());

        Assert.Equal((2, 0, 1, 0), (report.SignalsFromEventLog, report.UnreadableEvents, report.TrackedAgain, report.Tracked));
        Assert.Equal([open.SignalId], tracking);
        var history = second.GetRequiredService<SignalHistory>();
        Assert.True(history.IsOpen(open.SignalId));
        Assert.False(history.IsOpen(resolved.SignalId));
        Assert.Equal(Outcome.Win, history.Snapshot().Single(s => s.Signal.SignalId == resolved.SignalId).Outcome?.Outcome);
    }

    [Fact]
    public async Task AnAdminsOverridesAndTheLastClosedCandlesSurviveARestart()
    {
        await using (var first = _store.Services(Engine))
        {
            var recorder = first.GetRequiredService<EventRecorder>();
            recorder.OnEvent(new AdminActed(Signals.Start, 1, AdminActions.PatternKeepOn, PatternType.VcbBreakout.WireName(), "KEEP_ON", "AUTO"));
            recorder.OnEvent(new AdminActed(Signals.Start, 1, AdminActions.PatternDisable, PatternType.BbScalp.WireName(), "OFF", "AUTO"));
            var symbols = first.GetRequiredService<SymbolRegistry>();
            var candles = first.GetRequiredService<CandleRecorder>();
            for (var i = 0; i < 3; i++)
            {
                candles.OnCandleClosed(Candle(symbols.GetOrAdd("EURUSD"), Timeframe.M5, Signals.Start + (i * 300_000L)));
            }

            candles.OnCandleClosed(Candle(symbols.GetOrAdd("EURUSD"), Timeframe.M1, Signals.Start));
            await first.GetRequiredService<EventLog>().FlushAsync();
        }

        await using var second = _store.Services(Engine);
        var report = second.GetRequiredService<StartupRecovery>().Run();

        Assert.Equal([PatternType.VcbBreakout.WireName()], report.KeptOn);
        Assert.Equal([PatternType.BbScalp.WireName()], report.SwitchedOff);
        var board = second.GetRequiredService<SignalPipeline>().Switchboard!;
        Assert.Contains(PatternType.VcbBreakout, board.States.KeptOn);
        Assert.True(board.IsDisabled(PatternType.BbScalp));
        Assert.Contains(PatternType.BbScalp, board.States.DisabledByAdmin);
        Assert.Equal((3, 1), (report.WarmCandles, report.WarmSymbols));
    }

    [Fact]
    public async Task ACheckpointedMissionAndItsFireInFlightComeBackWithTheUser()
    {
        // The desk runs on the system clock here: a signal from now, so its mission has not expired.
        var signal = Signals.Make("EURUSD", 1, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        await using (var first = _store.Services(Engine))
        {
            first.GetRequiredService<UserStore>().Add(1001, Tier.Commander, Role.User, FireMode.Auto, "EA_1");
            Assert.Equal(0, first.GetRequiredService<StartupRecovery>().Run().Missions);
            var kernel = first.GetRequiredService<TradingKernel>();
            var desk = first.GetRequiredService<ExecutionDesk>();
            kernel.Start();
            var sent = await kernel.AskAsync(() =>
            {
                desk.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
                desk.Accept(signal with { SymbolId = first.GetRequiredService<SymbolRegistry>().GetOrAdd("EURUSD") });
                return desk.Counts.FiresSent;
            });
            Assert.Equal(1, sent);
            await first.GetRequiredService<Checkpointer>().SaveAsync(force: true);
        }

        await using var second = _store.Services(Engine);
        var report = second.GetRequiredService<StartupRecovery>().Run();

        Assert.Equal((1, 1, 1), (report.Users, report.Missions, report.Fires));
    }

    private static Candle Candle(SymbolId symbol, Timeframe timeframe, long openMs)
    {
        var prices = new Ohlc(1.1, 1.1005, 1.0995, 1.1002);
        return new Candle(symbol, timeframe, openMs, prices, prices, prices, 42);
    }
}
