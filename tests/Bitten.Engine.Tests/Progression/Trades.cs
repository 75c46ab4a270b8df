using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

/// <summary>The events of one user's trades, as the desk records them, fed to a book; every award it returns is kept.</summary>
internal sealed class Trades(ProgressionBook book, long userId = 7)
{
    public const long Start = 1_704_189_600_000; // 2024-01-02 10:00 UTC

    public const long Day = 86_400_000;

    private int _next;

    public List<TradingEvent> Log { get; } = [];

    public List<TradingEvent> Awards { get; } = [];

    public long Now { get; set; } = Start;

    public IReadOnlyList<XpAwarded> Xp => [.. Awards.OfType<XpAwarded>()];

    public IReadOnlyList<AchievementUnlocked> Unlocked => [.. Awards.OfType<AchievementUnlocked>()];

    /// <summary>Raises a signal of the pattern, sends a fire on it and fills it; returns the fire id.</summary>
    public string Fill(PatternType pattern = PatternType.BbScalp)
    {
        var n = ++_next;
        var signalId = $"S{userId}-{n}";
        var fireId = $"F{userId}-{n}";
        Apply(new SignalRaised(new Signal(signalId, "EURUSD", new SymbolId(0), Direction.Buy, 1.1, 1.098, 1.103, 20, 30, 1.5, 85, pattern, 7,
            "LONDON", Now, Now + 1_800_000, Now)));
        Apply(new FireSent(Now, userId, fireId, "M" + n, signalId, "EA", "EURUSD", Direction.Buy, 0.1m, 1.098, 1.103, FireSource.Manual, 1));
        Apply(new FireFilled(Now, userId, fireId, "M" + n, "EURUSD", Direction.Buy, 0.1m, 5000 + n, 1.1, 1.098, 1.103, FillEvidence.Confirmation));
        return fireId;
    }

    public IReadOnlyList<TradingEvent> Close(string fireId, PositionCloseReason reason) =>
        Apply(new PositionClosed(Now, userId, null, fireId, 1, "EURUSD", Direction.Buy, 0.1m, reason, 1.1, 1m));

    /// <summary>A trade filled and closed for this reason; returns what the close awarded.</summary>
    public IReadOnlyList<TradingEvent> Trade(PositionCloseReason reason, PatternType pattern = PatternType.BbScalp) => Close(Fill(pattern), reason);

    public IReadOnlyList<TradingEvent> Apply(TradingEvent e)
    {
        Log.Add(e);
        var awards = book.Apply(e);
        Awards.AddRange(awards);
        Log.AddRange(awards);
        foreach (var award in awards)
        {
            // As the recorder does: each award is recorded and comes back to the book, which must do nothing with it.
            Assert.Empty(book.Apply(award));
        }

        return awards;
    }
}
