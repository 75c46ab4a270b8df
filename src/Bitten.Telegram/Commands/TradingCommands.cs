using System.Globalization;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Domain.Primitives;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>/mode, /autofire, /slots, /missions, /fire, /close, /positions, /performance: the caller's own trading, asked of the desk.</summary>
internal static class TradingCommands
{
    /// <summary>Missions /missions lists at most.</summary>
    public const int MissionsShown = 10;

    public static async Task<IReadOnlyList<BotMessage>> ModeAsync(CommandRequest r)
    {
        var user = r.Caller;
        if (r.Args.Count == 0)
        {
            return r.Reply($"Fire mode: <b>{user.Mode.WireName()}</b>. {Band(user.Auto)}\nChange it with /mode MANUAL or /mode AUTO (AUTO: COMMANDER only).");
        }

        if (r.Args.Count > 1 || !Tiers.TryParseMode(r.Args[0], out var mode))
        {
            return r.Reply("Use /mode MANUAL or /mode AUTO.");
        }

        var (updated, problem) = await ApplyAsync(r, mode, null);
        return r.Reply(updated is null ? problem! : $"Fire mode: <b>{updated.Mode.WireName()}</b>. {Band(updated.Auto)}");
    }

    /// <summary>/autofire LOW HIGH [SLOTS [RISK]]: the AUTO band, and optionally the slots and the risk per trade.</summary>
    public static async Task<IReadOnlyList<BotMessage>> AutoFireAsync(CommandRequest r)
    {
        var user = r.Caller;
        const string Usage = "Use /autofire LOW HIGH [SLOTS [RISK%]], e.g. /autofire 80 89 10 5.";
        if (r.Args.Count == 0)
        {
            return r.Reply($"{Band(user.Auto)}\n{Usage}");
        }

        if (r.Args.Count is < 2 or > 4 || !TryNumber(r.Args[0], out var low) || !TryNumber(r.Args[1], out var high)
            || (r.Args.Count > 2 && !int.TryParse(r.Args[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            || (r.Args.Count > 3 && !decimal.TryParse(r.Args[3].TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out _)))
        {
            return r.Reply(Usage);
        }

        var auto = user.Auto with
        {
            MinConfidence = low,
            MaxConfidence = high,
            MaxSlots = r.Args.Count > 2 ? int.Parse(r.Args[2], CultureInfo.InvariantCulture) : user.Auto.MaxSlots,
            RiskPercent = r.Args.Count > 3 ? decimal.Parse(r.Args[3].TrimEnd('%'), CultureInfo.InvariantCulture) : user.Auto.RiskPercent,
        };
        if (auto.Problem() is { } problem)
        {
            return r.Reply($"Not changed: {problem}.");
        }

        var (updated, refused) = await ApplyAsync(r, null, auto);
        return r.Reply(updated is null ? refused! : Band(updated.Auto));
    }

    public static async Task<IReadOnlyList<BotMessage>> SlotsAsync(CommandRequest r)
    {
        var (desk, userId) = (r.Services.Desk, r.Caller.UserId);
        var account = await r.Services.Kernel.AskAsync(() => desk.AccountOf(userId));
        if (account is null)
        {
            return r.Reply(NoAccount);
        }

        var auto = r.Caller.Mode == FireMode.Auto ? $"\nAuto-fire holds at most {r.Caller.Auto.MaxSlots}." : "";
        return r.Reply($"Slots: <b>{account.SlotsUsed} of {account.SlotLimit}</b> in use, {Math.Max(0, account.SlotLimit - account.SlotsUsed)} free.{auto}");
    }

    public static async Task<IReadOnlyList<BotMessage>> MissionsAsync(CommandRequest r)
    {
        var (desk, userId) = (r.Services.Desk, r.Caller.UserId);
        var missions = await r.Services.Kernel.AskAsync(() => desk.MissionsOf(userId));
        if (missions.Count == 0)
        {
            return r.Reply("You have no missions yet: each signal your tier gets becomes one.");
        }

        var shown = missions.OrderByDescending(m => m.CreatedAtMs).Take(MissionsShown).ToList();
        var text = new StringBuilder("<b>Your missions</b>");
        foreach (var m in shown)
        {
            text.Append('\n').Append(BotFormat.Mission(m, r.Services.Clock));
        }

        var now = UnixMs.Now(r.Services.Clock);
        List<IReadOnlyList<BotButton>> buttons = [.. shown.Where(m => m.Status == MissionStatus.Pending && !m.IsExpiredAt(now))
            .Select(m => TradingButtons.Fire($"FIRE {m.Signal.Symbol} {m.Signal.Direction.WireName()}", m.MissionId)).OfType<BotButton>()
            .Select(b => (IReadOnlyList<BotButton>)[b])];
        return r.Reply(text.ToString(), buttons.Count > 0 ? buttons : null);
    }

    /// <summary>
    /// /fire [mission] (default: the newest mission still waiting). In MANUAL mode it asks first — the lot and a confirm
    /// keyboard (<c>fire:{mission_id}</c>, <c>cancel</c>) — in AUTO mode it fires at once.
    /// </summary>
    public static async Task<IReadOnlyList<BotMessage>> FireAsync(CommandRequest r)
    {
        var (desk, userId, clock) = (r.Services.Desk, r.Caller.UserId, r.Services.Clock);
        var missionId = r.Args.Count > 0 ? r.Args[0] : await r.Services.Kernel.AskAsync(() => desk.MissionsOf(userId)
            .Where(m => m.Status == MissionStatus.Pending && !m.IsExpiredAt(UnixMs.Now(clock)))
            .OrderByDescending(m => m.CreatedAtMs).FirstOrDefault()?.MissionId);
        if (missionId is null)
        {
            return r.Reply("You have no mission waiting. /missions lists yours.");
        }

        if (r.Caller.Mode == FireMode.Auto)
        {
            return r.Reply(await TradingButtons.FireNowAsync(r.Services, userId, missionId));
        }

        var (preview, mission) = await r.Services.Kernel.AskAsync(() => (desk.PreviewFire(userId, missionId), desk.MissionOf(userId, missionId)));
        if (!preview.MissionFound || mission is null)
        {
            return r.Reply(TradingButtons.NoMission(missionId));
        }

        if (!preview.Verdict.Fires)
        {
            return r.Reply($"Can't fire {mission.Signal.Symbol}: {BotText.Escape(preview.Verdict.Message)}");
        }

        var s = mission.Signal;
        var text = $"Fire <b>{s.Symbol} {s.Direction.WireName()}</b>, {BotFormat.Lot(preview.Verdict.Lot)} lot?\n" +
            $"Entry ≈ {BotFormat.Price(s.Symbol, s.EntryPrice)} · SL {BotFormat.Price(s.Symbol, s.StopLoss)} · TP {BotFormat.Price(s.Symbol, s.TakeProfit)} · " +
            $"{BotFormat.MinutesLeft(mission.ExpiresAtMs, clock)} min left";
        return TradingButtons.Fire("FIRE", missionId) is { } fire
            ? r.Reply(text, [[fire, BotButton.Callback("Cancel", TradingButtons.Cancel)]])
            : r.Reply(await TradingButtons.FireNowAsync(r.Services, userId, missionId));
    }

    /// <summary>/close TICKET, /close all, or /close alone: the positions with a close button each.</summary>
    public static async Task<IReadOnlyList<BotMessage>> CloseAsync(CommandRequest r)
    {
        if (r.Args.Count == 0)
        {
            return await PositionsAsync(r);
        }

        if (r.Args.Count > 1)
        {
            return r.Reply("Use /close TICKET or /close all.");
        }

        if (string.Equals(r.Args[0], "all", StringComparison.OrdinalIgnoreCase))
        {
            var (desk, userId) = (r.Services.Desk, r.Caller.UserId);
            var closing = await r.Services.Kernel.AskAsync(() => desk.Close(userId, null, null, all: true));
            return r.Reply(closing <= 0 ? "You have no open positions." : $"Closing {closing} position{(closing == 1 ? "" : "s")}; your EA confirms each.");
        }

        return long.TryParse(r.Args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticket)
            ? r.Reply(await TradingButtons.CloseTicketAsync(r.Services, r.Caller.UserId, ticket))
            : r.Reply("Use /close TICKET or /close all.");
    }

    public static async Task<IReadOnlyList<BotMessage>> PositionsAsync(CommandRequest r)
    {
        var (desk, userId) = (r.Services.Desk, r.Caller.UserId);
        var positions = await r.Services.Kernel.AskAsync(() => desk.PositionsOf(userId));
        if (positions.Count == 0)
        {
            return r.Reply("You have no open positions.");
        }

        var text = new StringBuilder("<b>Open positions</b>");
        foreach (var p in positions)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n#{p.Ticket} <b>{p.Symbol}</b> {p.Direction.WireName()} {BotFormat.Lot(p.Lot)} lot @ ")
                .Append(BotFormat.Price(p.Symbol, p.OpenPrice)).Append(" · SL ").Append(BotFormat.Price(p.Symbol, p.StopLoss))
                .Append(" · TP ").Append(BotFormat.Price(p.Symbol, p.TakeProfit));
        }

        List<IReadOnlyList<BotButton>> buttons =
            [.. positions.Select(p => (IReadOnlyList<BotButton>)[BotButton.Callback($"Close #{p.Ticket}", TradingButtons.CloseData(p.Ticket))])];
        return r.Reply(text.ToString(), buttons);
    }

    public static async Task<IReadOnlyList<BotMessage>> PerformanceAsync(CommandRequest r)
    {
        var (desk, userId) = (r.Services.Desk, r.Caller.UserId);
        var account = await r.Services.Kernel.AskAsync(() => desk.AccountOf(userId));
        if (account is null)
        {
            return r.Reply(NoAccount);
        }

        var today = account.Equity is { } equity && account.DayStartBalance > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{equity - account.DayStartBalance:+#,0.00;-#,0.00;0.00} ({(equity - account.DayStartBalance) / account.DayStartBalance:+0.00%;-0.00%;0.00%})")
            : "—";
        var text = $"Balance {BotFormat.Money(account.Balance)} · equity {BotFormat.Money(account.Equity)}\nToday: {today} · {account.OpenPositions} open";
        if (r.Services.Progression is { } progression && await progression.OfAsync(userId) is { } progress)
        {
            text += $"\nTrades {progress.Trades} · TP {progress.TakeProfits} · SL {progress.StopLosses}";
        }

        return r.Reply(text);
    }

    private const string NoAccount = "The desk does not know your account yet: /connect your EA.";

    private static string Band(AutoFireSettings auto) => string.Create(CultureInfo.InvariantCulture,
        $"AUTO band {auto.MinConfidence:0.##}–{auto.MaxConfidence:0.##}%, up to {auto.MaxSlots} slots, {auto.RiskPercent:0.##}% risk per trade.");

    /// <summary>The exception's sentence without the " (Parameter 'x')" .NET appends to it.</summary>
    private static string Sentence(ArgumentException e) =>
        e.ParamName is { } name && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? e.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Stores the change, then gives the desk the stored user (asked, so the next fire uses it), as the web API does.</summary>
    private static async Task<(User? Updated, string? Problem)> ApplyAsync(CommandRequest r, FireMode? mode, AutoFireSettings? auto)
    {
        User updated;
        try
        {
            updated = r.Services.Users.SetFireMode(r.Caller.UserId, mode, auto);
        }
        catch (ArgumentException e)
        {
            return (null, $"Not changed: {BotText.Escape(Sentence(e))}.");
        }

        var desk = r.Services.Desk;
        await r.Services.Kernel.AskAsync(() =>
        {
            desk.UpsertUser(updated);
            return true;
        });
        return (updated, null);
    }
}
