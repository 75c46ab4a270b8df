using System.Globalization;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Wire.Signals;

namespace Bitten.Wire.Events;

/// <summary>
/// The one mapping from the engine's typed events to the envelopes of PRODUCT.md §7 that the event log stores and the
/// bus publishes: event type, time, correlation and user, and the data fields by name. Every record of
/// <see cref="TradingEvent"/> has its arm here; a test builds one of each and checks that its envelope passes
/// <see cref="EventJson.Parse"/>, so a new record without a mapping fails a test instead of being dropped.
/// </summary>
public static class TradingEventJson
{
    /// <summary>Who wrote the events the engine raises.</summary>
    public const string Source = "bitten";

    public static EventEnvelope ToEnvelope(TradingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            SignalRaised r => Envelope(EventTypes.SignalGenerated, r, r.Signal.SignalId, null, json =>
            {
                var s = r.Signal;
                json.WriteString(EventFields.SignalId, s.SignalId);
                json.WriteString(EventFields.Symbol, s.Symbol);
                json.WriteString(EventFields.Direction, s.Direction.WireName());
                json.WriteNumber(EventFields.Confidence, s.Confidence);
                json.WriteString(EventFields.PatternType, s.PatternType.WireName());
                json.WriteNumber(EventFields.EntryPrice, s.EntryPrice);
                json.WriteNumber(EventFields.StopPips, s.StopPips);
                json.WriteNumber(EventFields.TargetPips, s.TargetPips);
                json.WriteNumber(EventFields.ExpiresAt, s.ExpiresAtMs);
                json.WriteNumber(EventFields.CitadelScore, s.CitadelScore);
                // Enough to rebuild the signal after a restart (pattern analytics over stored outcomes).
                json.WriteNumber(EventFields.Sl, s.StopLoss);
                json.WriteNumber(EventFields.Tp, s.TakeProfit);
                json.WriteNumber(EventFields.RiskReward, s.RiskReward);
                json.WriteString(EventFields.Session, s.Session);
                if (s.Score is { } score)
                {
                    json.WritePropertyName(EventFields.Score);
                    SignalScoreJson.Write(json, score);
                }
            }),
            SignalResolved r => Envelope(EventTypes.SignalResolved, r, r.Outcome.SignalId, null, json =>
            {
                var o = r.Outcome;
                json.WriteString(EventFields.SignalId, o.SignalId);
                json.WriteString(EventFields.Outcome, o.Outcome.WireName());
                json.WriteNumber(EventFields.Pips, Math.Round(o.Pips, 1));
                json.WriteNumber(EventFields.ExitPrice, o.ExitPrice);
                json.WriteNumber(EventFields.DurationMinutes, Math.Round(o.DurationMinutes, 1));
                json.WriteNumber(EventFields.MaxFavourablePips, Math.Round(o.MaxFavourablePips, 1));
                json.WriteNumber(EventFields.MaxAdversePips, Math.Round(o.MaxAdversePips, 1));
            }),
            AdminActed r => Envelope(EventTypes.UserAction, r, null, Id(r.AdminUserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.AdminUserId));
                json.WriteString(EventFields.Action, r.Action);
                json.WriteString(EventFields.Target, r.Target);
                json.WriteString(EventFields.Value, r.Value);
                json.WriteString(EventFields.Previous, r.Previous);
            }),
            XpAwarded r => Envelope(EventTypes.UserAction, r, r.CauseKey, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.Action, ProgressionNames.XpAwardedAction);
                json.WriteString(EventFields.Cause, r.Cause.WireName());
                json.WriteNumber(EventFields.Xp, r.Xp);
                json.WriteString(EventFields.CauseKey, r.CauseKey);
                json.WriteNumber(EventFields.TotalXp, r.TotalXp);
                json.WriteNumber(EventFields.Level, r.Level);
            }),
            AchievementUnlocked r => Envelope(EventTypes.UserAction, r, r.CauseKey, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.Action, ProgressionNames.AchievementUnlockedAction);
                json.WriteString(EventFields.Achievement, r.Achievement.Code());
                json.WriteString(EventFields.CauseKey, r.CauseKey);
            }),
            PressPassStarted r => Envelope(EventTypes.UserAction, r, null, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.Action, PressPassActions.Started);
                json.WriteString(EventFields.Target, r.EaUuid);
                json.WriteString(EventFields.Value, Id(r.ExpiresAtMs));
            }),
            PressPassEnded r => Envelope(EventTypes.UserAction, r, null, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.Action, PressPassActions.Ended);
                json.WriteString(EventFields.Target, r.EaUuid);
                json.WriteString(EventFields.Value, "RECRUIT");
                json.WriteString(EventFields.Previous, "PRESS_PASS");
            }),
            MissionCreated r => Envelope(EventTypes.MissionCreated, r, r.MissionId, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.MissionId, r.MissionId);
                json.WriteString(EventFields.SignalId, r.SignalId);
                json.WriteString(EventFields.UserId, Id(r.UserId));
            }),
            MissionExpired r => Envelope(EventTypes.SignalExpired, r, r.MissionId, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.SignalId, r.SignalId);
                json.WriteString(EventFields.MissionId, r.MissionId);
            }),
            FireSent r => Envelope(EventTypes.FireCommand, r, r.FireId, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.FireId, r.FireId);
                json.WriteString(EventFields.MissionId, r.MissionId);
                json.WriteString(EventFields.SignalId, r.SignalId);
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.Symbol, r.Symbol);
                json.WriteString(EventFields.Direction, r.Direction.WireName());
                json.WriteNumber(EventFields.LotSize, r.Lot);
                json.WriteString(EventFields.ExecutionMode, r.Source.WireName());
                json.WriteNumber(EventFields.SlPrice, r.StopLoss);
                json.WriteNumber(EventFields.TpPrice, r.TakeProfit);
            }),
            FireFilled r => Envelope(EventTypes.TradeExecuted, r, r.FireId, Id(r.UserId), json =>
            {
                WriteTrade(json, r.FireId, r.MissionId, r.Ticket, r.Symbol, r.Direction, r.Lot, r.Price, r.TimeMs);
                json.WriteNumber(EventFields.SlPrice, r.StopLoss);
                json.WriteNumber(EventFields.TpPrice, r.TakeProfit);
            }),
            PositionAdopted r => Envelope(EventTypes.TradeExecuted, r, r.FireId, Id(r.UserId),
                json => WriteTrade(json, r.FireId, null, r.Ticket, r.Symbol, r.Direction, r.Lot, r.Price, r.TimeMs)),
            FireFailed r => Envelope(EventTypes.FireFailed, r, r.FireId ?? r.MissionId, Id(r.UserId),
                json => WriteReason(json, r.UserId, r.Refusal.Code(), r.FireId, Describe(r))),
            RiskBlocked r => Envelope(EventTypes.RiskBlocked, r, r.MissionId, Id(r.UserId),
                json => WriteReason(json, r.UserId, r.Refusal.Code(), null, Describe(r))),
            SlotReleased r => Envelope(EventTypes.SlotReleased, r, r.FireId, Id(r.UserId),
                json => WriteReason(json, r.UserId, r.Reason.Code(), r.FireId, Describe(r))),
            PositionClosed r => Envelope(EventTypes.PositionClosed, r, r.FireId, Id(r.UserId), json =>
            {
                if (r.Ticket > 0)
                {
                    // A fire executed and closed while the server was away has no ticket we ever heard: the fire id says which.
                    json.WriteNumber(EventFields.Ticket, r.Ticket);
                }

                json.WriteString(EventFields.FireId, r.FireId);
                json.WriteString(EventFields.MissionId, r.MissionId);
                json.WriteString(EventFields.Reason, r.Reason.WireName());
            }),
            BalanceUpdated r => Envelope(EventTypes.BalanceUpdate, r, null, Id(r.UserId), json =>
            {
                json.WriteString(EventFields.UserId, Id(r.UserId));
                json.WriteString(EventFields.AccountNumber, r.Account ?? Id(r.UserId));
                json.WriteNumber(EventFields.Balance, r.Balance);
                json.WriteNumber(EventFields.Equity, r.Equity);
            }),
            EmergencyStopChanged r => Health(r, "execution", "running", null, null),
            EaConnected r => Health(r, "execution", "running", null, Id(r.UserId)),
            ConfirmationRejected r => Health(r, "ea-gateway", "error", r.FireId, null),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name,
                "no envelope mapping for this event: add its arm to TradingEventJson.ToEnvelope"),
        };
    }

    /// <summary>The event as one sentence, for logs and for the <c>message</c> field of the events that carry one.</summary>
    public static string Describe(TradingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            SignalRaised r => Text($"{r.Signal.Symbol} {r.Signal.Direction.WireName()} {r.Signal.Confidence}% {r.Signal.PatternType.WireName()}"),
            SignalResolved r => Text($"{r.Outcome.SignalId} {r.Outcome.Outcome.WireName()} {Math.Round(r.Outcome.Pips, 1)} pips"),
            AdminActed { Previous: null } r => Text($"admin {r.AdminUserId}: {r.Action} {r.Target} = {r.Value}"),
            AdminActed r => Text($"admin {r.AdminUserId}: {r.Action} {r.Target} {r.Previous} -> {r.Value}"),
            XpAwarded r => Text($"+{r.Xp} XP for {r.Cause.WireName()} ({r.CauseKey}): {r.TotalXp} XP, level {r.Level}"),
            AchievementUnlocked r => Text($"achievement unlocked: {r.Achievement.Code()} ({r.CauseKey})"),
            PressPassStarted r => Text($"press pass started on {r.EaUuid}, ends {DateTimeOffset.FromUnixTimeMilliseconds(r.ExpiresAtMs):yyyy-MM-dd HH:mm} UTC"),
            PressPassEnded r => $"press pass ended{(r.EaUuid is null ? "" : $", {r.EaUuid} stopped")}: RECRUIT again",
            MissionCreated r => Text($"{r.MissionId}: {r.Symbol} {r.Confidence}%"),
            MissionExpired r => $"mission {r.MissionId} expired unfired",
            FireSent { Attempt: 1 } r => Text($"{Lower(r.Source)} {r.Symbol} {r.Direction.WireName()} {r.Lot} lot to {r.EaUuid}"),
            FireSent r => Text($"resent (attempt {r.Attempt}) after the EA reconnected"),
            FireFilled { Evidence: FillEvidence.Heartbeat } r => Text($"fill seen in a heartbeat: ticket {r.Ticket}"),
            FireFilled r => Text($"filled {r.Symbol} ticket {r.Ticket} at {r.Price}"),
            PositionAdopted r => Text($"adopted unknown position ticket {r.Ticket} ({r.Symbol})"),
            FireFailed { FireId: null } r => $"{Lower(r.Source)} fire refused: {r.Refusal.Code()}: {r.Message}",
            FireFailed r => $"the EA refused: {r.Message}",
            RiskBlocked r => $"{Lower(r.Source)} fire refused: {r.Refusal.Code()}: {r.Message}",
            SlotReleased r => Text($"slot released: {r.Reason.Code()} ({r.SlotsUsed}/{r.SlotLimit} used)"),
            PositionClosed { Reason: PositionCloseReason.ClosedAway } => "executed and closed while the server was away",
            PositionClosed { Reason: PositionCloseReason.Missing } r => Text($"ticket {r.Ticket} no longer in the EA's positions"),
            PositionClosed r => Text($"closed {r.Symbol} ticket {r.Ticket} at {r.ClosePrice} ({r.Reason.WireName()}), profit {r.Profit}"),
            BalanceUpdated r => Text($"balance {r.Balance} equity {r.Equity}"),
            EmergencyStopChanged r => $"emergency stop: {r.Stop.ToString().ToUpperInvariant()}",
            EaConnected r => $"EA {r.EaUuid} connected ({(r.IsHello ? "HELLO" : "first heartbeat since this start")})",
            ConfirmationRejected { Ticket: { } ticket } r => Text($"close confirmation for ticket {ticket} that no user of EA {r.EaUuid} holds"),
            ConfirmationRejected r => $"confirmation for an unknown fire or from the wrong EA ({r.EaUuid})",
            _ => e.ToString(),
        };
    }

    /// <summary>The user of a trader event, the admin of an admin action, or null.</summary>
    public static long? UserOf(TradingEvent e) => e switch
    {
        TraderEvent t => t.UserId,
        AdminActed a => a.AdminUserId,
        _ => null,
    };

    private static EventEnvelope Envelope(string type, TradingEvent e, string? correlation, string? user, Action<Utf8JsonWriter> data) =>
        new(type, e.TimeMs, Source, EventJson.Data(data), correlation, user);

    private static EventEnvelope Health(TradingEvent e, string component, string status, string? correlation, string? user)
    {
        var message = Describe(e);
        return Envelope(EventTypes.SystemHealth, e, correlation, user, json =>
        {
            json.WriteString(EventFields.Component, component);
            json.WriteString(EventFields.Status, status);
            json.WriteString(EventFields.Message, message.Length > 500 ? message[..500] : message);
        });
    }

    /// <summary>The fields every trade_executed carries: an open position of ours, filled or adopted.</summary>
    private static void WriteTrade(Utf8JsonWriter json, string fireId, string? missionId, long ticket, string symbol, Direction direction, decimal lot,
        double price, long timeMs)
    {
        json.WriteString(EventFields.FireId, fireId);
        json.WriteString(EventFields.MissionId, missionId);
        json.WriteNumber(EventFields.Ticket, ticket);
        json.WriteString(EventFields.Symbol, symbol);
        json.WriteString(EventFields.Direction, direction.WireName());
        json.WriteNumber(EventFields.Volume, lot);
        json.WriteNumber(EventFields.OpenPrice, price);
        json.WriteNumber(EventFields.ExecutionTime, timeMs);
    }

    private static void WriteReason(Utf8JsonWriter json, long userId, string reason, string? fireId, string message)
    {
        json.WriteString(EventFields.UserId, Id(userId));
        json.WriteString(EventFields.Reason, reason);
        json.WriteString(EventFields.FireId, fireId);
        json.WriteString(EventFields.Message, message);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Lower(FireSource source) => source == FireSource.Auto ? "auto" : "manual";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
