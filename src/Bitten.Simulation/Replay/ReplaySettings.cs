using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Ea;

namespace Bitten.Simulation.Replay;

/// <summary>A user of a replay and the paper EA they are bound to (the user's EA uuid is set to the EA's).</summary>
public sealed record ReplayAccount(User User, SimulatedEaOptions Ea);

/// <summary>What a replay runs with: the option sections <c>bitten run</c> binds, the accounts, and the range.</summary>
public sealed class ReplaySettings
{
    public MarketOptions Market { get; init; } = new();

    public KernelOptions Kernel { get; init; } = new();

    public EliteGuardOptions EliteGuard { get; init; } = new();

    public ExecutionOptions Execution { get; init; } = new();

    public NewsCalendar? News { get; init; }

    public IReadOnlyList<ReplayAccount> Accounts { get; init; } = [];

    /// <summary>
    /// True (the backtest): the kernel clock runs in replay time, so bars close across gaps in the ticks and missions
    /// expire. False: ticks only, a bar closes when the next tick comes (the tick-only benchmark).
    /// </summary>
    public bool ClockMessages { get; init; } = true;

    /// <summary>Symbols to keep (upper case), or null for every symbol in the files.</summary>
    public IReadOnlySet<string>? Symbols { get; init; }

    /// <summary>Inclusive lower bound of tick time (Unix ms), or null.</summary>
    public long? FromMs { get; init; }

    /// <summary>Exclusive upper bound of tick time (Unix ms), or null.</summary>
    public long? ToMs { get; init; }

    /// <summary>
    /// How many times the ticks are replayed, each pass moved later by the whole UTC days the data span, as if the
    /// market went on: a few recorded days become a month of running (the bounded-memory test).
    /// </summary>
    public int Passes { get; init; } = 1;
}

/// <summary>Who hears what a replay produces, all optional; every call comes on the replay's thread, in replay order.</summary>
public sealed class ReplayListeners
{
    public ISignalSink? Signals { get; init; }

    public IOutcomeSink? Outcomes { get; init; }

    public ICandleSink? Candles { get; init; }

    public IPaperAccountObserver? Accounts { get; init; }

    /// <summary>Called after each block of ticks in which another file was opened.</summary>
    public Action<ReplayProgress>? Progress { get; init; }

    /// <summary>Called at the first tick of each replayed UTC day with what the desk and the tracker hold then.</summary>
    public Action<ReplayDay>? Daily { get; init; }
}

/// <summary>What the kernel held when a replayed day began: the desk's footprint and the signals still tracked.</summary>
public readonly record struct ReplayDay(long DayStartMs, DeskFootprint Desk, int TrackedSignals);

/// <summary>What one account did over the replay.</summary>
public sealed record AccountResult(
    User User,
    decimal StartBalance,
    decimal EndBalance,
    decimal EndEquity,
    long Fires,
    long Fills,
    long Closes,
    int OpenPositions,
    IReadOnlyDictionary<string, long> Refusals,
    double MaxDrawdownPercent);

/// <summary>
/// What a replay did. <see cref="EngineTime"/> is the time spent in the kernel (candles, Elite Guard, desk, paper
/// brokers) and <see cref="Elapsed"/> the whole run including reading the files. Tick times are Unix ms (0 when none).
/// </summary>
public sealed record ReplayResult(
    long Ticks,
    long FirstTickMs,
    long LastTickMs,
    long Faults,
    string? LastFault,
    EliteGuardCounts Engine,
    long M5Closes,
    TimeSpan EliteGuardTime,
    TimeSpan EngineTime,
    TimeSpan Elapsed,
    IReadOnlyList<AccountResult> Accounts)
{
    /// <summary>Malformed lines the tick files held, passed over.</summary>
    public long SkippedLines { get; init; }

    /// <summary>Tick files that could not be read (or broke off part way), passed over.</summary>
    public long SkippedFiles { get; init; }

    /// <summary>The last file passed over and why.</summary>
    public string? LastSkipped { get; init; }
}
