using System.Numerics;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Progression;

/// <summary>
/// XP, levels and achievements (PRODUCT.md §9), computed from the events the kernel records and nothing else: no
/// clock (time is each event's), no I/O, owned by the kernel thread. <see cref="Apply"/> takes any event and returns the
/// awards it causes, deterministically, so replaying the event log through a fresh book gives the same XP.
/// </summary>
/// <remarks>
/// <para>An award is paid at most once per (user, cause key); applying a stored award (or one this book just returned)
/// marks its key and produces nothing, which is how a recorder can feed its own awards back without looping.</para>
/// <para>Outcomes: TP pays 100 and extends the run of take profits; SL pays nothing (no award is recorded: the
/// position_closed event already says it) and ends the run; a manual early close pays 50 and also ends the run, since
/// a streak is take profits in a row. Closes the trader did not choose or whose outcome is unknown (a HARD emergency
/// stop's, a position gone from the heartbeat, one closed while the server was away) pay nothing and leave the run as
/// it was. A run pays its bonus when it reaches exactly 3, 5 and 10; a new run reaching 3 again is a new cause (its key
/// names the fire that reached it) and pays again.</para>
/// </remarks>
public sealed class ProgressionBook
{
    /// <summary>How long a signal's pattern and an unfilled fire are remembered: far past any mission's window.</summary>
    public const long MemoryMs = 2 * 86_400_000L;

    private const long DayMs = 86_400_000L;

    private const int AllPatterns = (1 << 6) - 1;

    private static readonly IReadOnlyList<TradingEvent> Nothing = [];

    private readonly Dictionary<long, TraderProgress> _users = [];
    private readonly Dictionary<string, (PatternType Pattern, long TimeMs)> _signals = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long TimeMs)> _signalOrder = new();
    private readonly Dictionary<string, (PatternType? Pattern, long TimeMs)> _fires = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long TimeMs)> _fireOrder = new();
    private bool _hardStop;

    public int Users => _users.Count;

    public IReadOnlyList<TradingEvent> Apply(TradingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case SignalRaised r:
                Remember(_signals, _signalOrder, r.Signal.SignalId, (r.Signal.PatternType, r.TimeMs), r.TimeMs);
                return Nothing;
            case FireSent r:
                return OnFireSent(r);
            case FireFilled r:
                return OnFilled(r);
            case FireFailed { FireId: { } fireId }:
                _fires.Remove(fireId);
                return Nothing;
            case PositionClosed r:
                return OnClosed(r);
            case RiskBlocked r when r.Refusal != FireRefusal.EmergencyStop:
                // An emergency stop is the desk's choice, not the trader's: it breaks no one's discipline.
                User(r.UserId).CleanSinceMs = r.TimeMs;
                return Nothing;
            case EmergencyStopChanged r:
                _hardStop = r.Stop == EmergencyStop.Hard;
                return Nothing;
            case AdminActed { Action: AdminActions.EmergencyStop } r:
                // The stored form of the same change: what a replay sees, the system_health event being only a sentence.
                _hardStop = string.Equals(r.Value, "HARD", StringComparison.OrdinalIgnoreCase);
                return Nothing;
            case XpAwarded r:
                Seed(r);
                return Nothing;
            case AchievementUnlocked r:
                Seed(r);
                return Nothing;
            default:
                return Nothing;
        }
    }

    /// <summary>
    /// Rebuilds from a stored log: every stored award is taken first (its key is paid), then every other event is
    /// applied in order. Returns the awards the log should hold and does not (an outcome stored, its award lost in a
    /// crash) for the caller to record now; stored awards are never returned again.
    /// </summary>
    public IReadOnlyList<TradingEvent> Replay(IReadOnlyList<TradingEvent> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var e in log)
        {
            if (e is XpAwarded or AchievementUnlocked)
            {
                Apply(e);
            }
        }

        var caughtUp = new List<TradingEvent>();
        foreach (var e in log)
        {
            if (e is not (XpAwarded or AchievementUnlocked))
            {
                caughtUp.AddRange(Apply(e));
            }
        }

        return caughtUp;
    }

    /// <summary>A user's progression now; a user never seen is at level 1 with nothing.</summary>
    public ProgressView ViewOf(long userId) => (_users.TryGetValue(userId, out var user) ? user : new TraderProgress(userId)).View();

    /// <summary>The top users by XP (equal XP by user id), only those <paramref name="listed"/> allows (the opt-out) and with some XP.</summary>
    public IReadOnlyList<LeaderboardEntry> Leaderboard(int top, Func<long, bool> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        return [.. _users.Values
            .Where(u => u.Xp > 0 && listed(u.UserId))
            .OrderByDescending(u => u.Xp).ThenBy(u => u.UserId)
            .Take(Math.Max(top, 0))
            .Select((u, i) => new LeaderboardEntry(i + 1, u.UserId, u.Xp, Levels.LevelOf(u.Xp)))];
    }

    private List<TradingEvent> OnFireSent(FireSent r)
    {
        PatternType? pattern = _signals.TryGetValue(r.SignalId, out var signal) ? signal.Pattern : null;
        if (!_fires.ContainsKey(r.FireId))
        {
            Remember(_fires, _fireOrder, r.FireId, (pattern, r.TimeMs), r.TimeMs);
        }

        var awards = new List<TradingEvent>();
        Unlock(User(r.UserId), Achievement.FirstFire, "fire:" + r.FireId, r.TimeMs, awards);
        return awards;
    }

    private List<TradingEvent> OnFilled(FireFilled r)
    {
        var user = User(r.UserId);
        var awards = new List<TradingEvent>();
        if (!user.Counted.Add("fill:" + r.FireId))
        {
            return awards;
        }

        user.Trades++;
        user.CleanSinceMs ??= r.TimeMs;
        Award(user, r.TimeMs, XpCause.FirstTrade, XpRules.FirstTrade, XpRules.FirstTradeKey, awards);
        if (user.Trades >= Achievements.HundredTradesCount)
        {
            Unlock(user, Achievement.HundredTrades, "trade:" + r.FireId, r.TimeMs, awards);
        }

        if (_fires.Remove(r.FireId, out var fire) && fire.Pattern is { } pattern)
        {
            var bit = 1 << (int)pattern;
            var day = Math.DivRem(r.TimeMs, DayMs, out var rest) - (rest < 0 ? 1 : 0);
            if (day != user.Day)
            {
                user.Day = day;
                user.DayPatterns = 0;
            }

            user.DayPatterns |= bit;
            user.PatternsTraded |= bit;
            if (BitOperations.PopCount((uint)user.DayPatterns) >= 2)
            {
                Award(user, r.TimeMs, XpCause.PatternVariety, XpRules.PatternVariety, XpRules.VarietyKey(r.TimeMs), awards);
            }

            if (user.PatternsTraded == AllPatterns)
            {
                Unlock(user, Achievement.PatternExplorer, "pattern:" + r.FireId, r.TimeMs, awards);
            }
        }

        return awards;
    }

    private List<TradingEvent> OnClosed(PositionClosed r)
    {
        var user = User(r.UserId);
        var awards = new List<TradingEvent>();
        var chosen = r.Reason is PositionCloseReason.TakeProfit or PositionCloseReason.StopLoss
            || (r.Reason == PositionCloseReason.Manual && !_hardStop);
        if (!chosen || !user.Counted.Add("close:" + r.FireId))
        {
            return awards;
        }

        switch (r.Reason)
        {
            case PositionCloseReason.TakeProfit:
                user.TakeProfits++;
                user.Streak++;
                Award(user, r.TimeMs, XpCause.TakeProfit, XpRules.TakeProfit, XpRules.TakeProfitKey(r.FireId), awards);
                if (XpRules.StreakBonus(user.Streak) is { } bonus)
                {
                    Award(user, r.TimeMs, XpCause.WinStreak, bonus, XpRules.StreakKey(user.Streak, r.FireId), awards);
                }

                Unlock(user, Achievement.FirstTakeProfit, "tp:" + r.FireId, r.TimeMs, awards);
                if (user.TakeProfits >= Achievements.TenTakeProfitsCount)
                {
                    Unlock(user, Achievement.TenTakeProfits, "tp:" + r.FireId, r.TimeMs, awards);
                }

                break;
            case PositionCloseReason.StopLoss:
                user.StopLosses++;
                user.Streak = 0;
                break;
            default:
                user.Streak = 0;
                Award(user, r.TimeMs, XpCause.EarlyClose, XpRules.EarlyClose, XpRules.EarlyCloseKey(r.FireId), awards);
                break;
        }

        CheckDisciplinedWeek(user, r.TimeMs, awards);
        return awards;
    }

    private static void CheckDisciplinedWeek(TraderProgress user, long timeMs, List<TradingEvent> awards)
    {
        user.RecentCloses.Enqueue(timeMs);
        while (user.RecentCloses.Peek() <= timeMs - Achievements.WeekMs)
        {
            user.RecentCloses.Dequeue();
        }

        if (user.CleanSinceMs is { } since && timeMs - since >= Achievements.WeekMs && user.RecentCloses.Count >= Achievements.DisciplinedWeekTrades)
        {
            Unlock(user, Achievement.DisciplinedWeek, "week:" + XpRules.UtcDay(timeMs), timeMs, awards);
        }
    }

    private static void Award(TraderProgress user, long timeMs, XpCause cause, int xp, string key, List<TradingEvent> awards)
    {
        if (!user.Awarded.Add(key))
        {
            return;
        }

        user.Xp += xp;
        var award = new XpAwarded(timeMs, user.UserId, cause, xp, key, user.Xp, Levels.LevelOf(user.Xp));
        user.Remember(award);
        awards.Add(award);
    }

    private static void Unlock(TraderProgress user, Achievement achievement, string key, long timeMs, List<TradingEvent> awards)
    {
        if (user.Has(achievement))
        {
            return;
        }

        var info = Achievements.Describe(achievement);
        user.Unlocked.Add(new UnlockedAchievement(achievement, info.Code, info.Name, timeMs, key));
        awards.Add(new AchievementUnlocked(timeMs, user.UserId, achievement, key));
    }

    private void Seed(XpAwarded award)
    {
        var user = User(award.UserId);
        if (user.Awarded.Add(award.CauseKey))
        {
            user.Xp += award.Xp;
            user.Remember(award);
        }
    }

    private void Seed(AchievementUnlocked unlocked)
    {
        var user = User(unlocked.UserId);
        if (!user.Has(unlocked.Achievement))
        {
            var info = Achievements.Describe(unlocked.Achievement);
            user.Unlocked.Add(new UnlockedAchievement(unlocked.Achievement, info.Code, info.Name, unlocked.TimeMs, unlocked.CauseKey));
        }
    }

    private TraderProgress User(long userId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            user = new TraderProgress(userId);
            _users[userId] = user;
        }

        return user;
    }

    /// <summary>Keeps a value for <see cref="MemoryMs"/> of event time: older ones go as newer ones arrive, so the maps stay small.</summary>
    private static void Remember<T>(Dictionary<string, (T Value, long TimeMs)> map, Queue<(string Id, long TimeMs)> order, string id,
        (T Value, long TimeMs) value, long nowMs)
    {
        map[id] = value;
        order.Enqueue((id, value.TimeMs));
        while (order.TryPeek(out var oldest) && oldest.TimeMs < nowMs - MemoryMs)
        {
            order.Dequeue();
            if (map.TryGetValue(oldest.Id, out var kept) && kept.TimeMs == oldest.TimeMs)
            {
                map.Remove(oldest.Id);
            }
        }
    }
}
