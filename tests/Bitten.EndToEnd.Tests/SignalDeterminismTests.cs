using System.Security.Cryptography;
using System.Text.Json;
using Bitten.Cli.Backtest;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Bitten.Wire.Signals;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Determinism as a scenario: a week of real EURUSD and XAUUSD ticks gives the same signals, byte for byte as
/// published on 5557, whether bars close on the replay clock (the backtest) or only on the next tick (the replay
/// benchmark), and on every run. Compared by SHA-256 of the published frames.
/// </summary>
public sealed class SignalDeterminismTests
{
    private static readonly long From = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long To = new DateTimeOffset(2014, 5, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static List<TickFile> Files() =>
    [
        .. new[] { "ticks/oanda-fx/eurusd", "ticks/oanda-cfd/xauusd" }
            .SelectMany(folder => Directory.GetFiles(SharedData.Path(folder)))
            .Select(path => TickFile.Recognise(path))
            .OfType<TickFile>()
            .OrderBy(file => file.Path, StringComparer.Ordinal),
    ];

    private static (string Hash, int Count) HashOf(IEnumerable<Signal> signals)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        foreach (var signal in signals)
        {
            hash.AppendData(SignalJson.Frame(signal));
            count++;
        }

        return (Convert.ToHexString(hash.GetHashAndReset()), count);
    }

    [Fact]
    public void TheBacktestAndATickOnlyReplayPublishTheSameSignalsEveryRun()
    {
        var files = Files();
        Assert.NotEmpty(files);

        var first = HashOf(Backtester.Run(files, null, From, To, null).Trades.Select(t => t.Signal));
        var second = HashOf(Backtester.Run(files, null, From, To, null).Trades.Select(t => t.Signal));
        var tickOnly = HashOf(ReplayTicksOnly(files));

        // A week of two symbols raises signals; equal empty lists would prove nothing.
        Assert.True(first.Count >= 10, $"only {first.Count} signals");
        Assert.Equal(first, second);
        Assert.Equal(first, tickOnly);
    }

    /// <summary>The same ticks straight into the kernel with no clock: a bar closes only when the next tick arrives.</summary>
    private static List<Signal> ReplayTicksOnly(IReadOnlyList<TickFile> files)
    {
        var symbols = new SymbolRegistry();
        var ticks = new TickReplay(files).Read().Where(t => t.Tick.TimeMs >= From && t.Tick.TimeMs < To).ToList();
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(ticks[0].Tick.TimeMs));
        var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
        var raised = new Collect();
        SignalPipeline.Create(symbols, new EliteGuardOptions(), raised, raised).SubscribeTo(kernel);
        foreach (var t in ticks)
        {
            kernel.Handle(KernelMessage.ForTick(new Tick(symbols.GetOrAdd(t.Symbol), t.Tick.Bid, t.Tick.Ask, t.Tick.TimeMs, t.Tick.TimeMs)));
        }

        Assert.Equal(0, kernel.Faults);
        return raised.Signals;
    }

    private sealed class Collect : ISignalSink, Bitten.Engine.Tracking.IOutcomeSink
    {
        public List<Signal> Signals { get; } = [];

        public void OnSignal(Signal signal) => Signals.Add(signal);

        public void OnResolved(in SignalOutcome outcome)
        {
        }
    }
}
