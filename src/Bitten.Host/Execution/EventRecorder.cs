using System.Globalization;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Wire.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Turns what the kernel does — signals raised, outcomes, every execution event — into PRODUCT.md §7 events for the
/// event log and the bus. Runs on the kernel thread; the sink queues (the log and the bus have their own threads).
/// Every event it writes passes <see cref="EventJson.Parse"/>: the original's bus rejected its own events.
/// </summary>
public sealed class EventRecorder(IEventSink sink, IExecutionObserver? next = null) : ISignalSink, IOutcomeSink, IExecutionObserver
{
    private const string Source = "bitten";

    public long Recorded { get; private set; }

    public void OnSignal(Signal signal) => Record(new EventEnvelope(EventTypes.SignalGenerated, signal.TimestampMs, Source, EventJson.Data(json =>
    {
        json.WriteString("signal_id", signal.SignalId);
        json.WriteString("symbol", signal.Symbol);
        json.WriteString("direction", signal.Direction.WireName());
        json.WriteNumber("confidence", signal.Confidence);
        json.WriteString("pattern_type", signal.PatternType.WireName());
        json.WriteNumber("entry_price", signal.EntryPrice);
        json.WriteNumber("stop_pips", signal.StopPips);
        json.WriteNumber("target_pips", signal.TargetPips);
        json.WriteNumber("expires_at", signal.ExpiresAtMs);
        json.WriteNumber("citadel_score", signal.CitadelScore);
        // Enough to rebuild the signal after a restart (pattern analytics over stored outcomes).
        json.WriteNumber("sl", signal.StopLoss);
        json.WriteNumber("tp", signal.TakeProfit);
        json.WriteNumber("risk_reward", signal.RiskReward);
        json.WriteString("session", signal.Session);
    }), CorrelationId: signal.SignalId));

    public void OnResolved(in SignalOutcome outcome)
    {
        var o = outcome;
        Record(new EventEnvelope(EventTypes.SignalResolved, o.ExitTimeMs, Source, EventJson.Data(json =>
        {
            json.WriteString("signal_id", o.SignalId);
            json.WriteString("outcome", o.Outcome.WireName());
            json.WriteNumber("pips", Math.Round(o.Pips, 1));
            json.WriteNumber("exit_price", o.ExitPrice);
            json.WriteNumber("duration_minutes", Math.Round(o.DurationMinutes, 1));
            json.WriteNumber("max_favourable_pips", Math.Round(o.MaxFavourablePips, 1));
            json.WriteNumber("max_adverse_pips", Math.Round(o.MaxAdversePips, 1));
        }), CorrelationId: o.SignalId));
    }

    /// <summary>An admin keeps a pattern on whatever its record, or hands it back to the auto-disable rule.</summary>
    public void OnPatternOverride(PatternType pattern, bool keepOn, long adminUserId, long timeMs) =>
        Record(new EventEnvelope(EventTypes.UserAction, timeMs, Source, EventJson.Data(json =>
        {
            json.WriteString("user_id", adminUserId.ToString(CultureInfo.InvariantCulture));
            json.WriteString("action", keepOn ? PatternOverrides.KeepOn : PatternOverrides.Release);
            json.WriteString("pattern", pattern.WireName());
        }), UserId: adminUserId.ToString(CultureInfo.InvariantCulture)));

    public void OnEvent(ExecutionEvent e)
    {
        next?.OnEvent(e);
        if (Envelope(e) is { } envelope)
        {
            Record(envelope);
        }
    }

    private void Record(EventEnvelope envelope)
    {
        sink.Append(envelope);
        Recorded++;
    }

    private static EventEnvelope? Envelope(ExecutionEvent e)
    {
        var d = e.Details ?? new ExecutionDetails();
        var user = e.UserId?.ToString(CultureInfo.InvariantCulture);
        string Data(Action<Utf8JsonWriter> write) => EventJson.Data(write);
        var (type, data) = e.EventType switch
        {
            "mission_created" => (EventTypes.MissionCreated, Data(j =>
            {
                j.WriteString("mission_id", e.MissionId);
                j.WriteString("signal_id", d.SignalId);
                j.WriteString("user_id", user);
            })),
            "fire_command" when d.Symbol is not null && d.Direction is { } direction && d.Lot is { } lot => (EventTypes.FireCommand, Data(j =>
            {
                j.WriteString("fire_id", e.FireId);
                j.WriteString("mission_id", e.MissionId);
                j.WriteString("signal_id", d.SignalId);
                j.WriteString("user_id", user);
                j.WriteString("symbol", d.Symbol);
                j.WriteString("direction", direction.WireName());
                j.WriteNumber("lot_size", lot);
                j.WriteString("execution_mode", d.Mode ?? "AUTO");
                WriteLevels(j, d);
            })),
            "trade_executed" when d.Ticket is > 0 && d.Symbol is not null && d.Direction is { } direction && d.Lot is { } lot => (EventTypes.TradeExecuted, Data(j =>
            {
                j.WriteString("fire_id", e.FireId ?? "");
                j.WriteString("mission_id", e.MissionId);
                j.WriteNumber("ticket", d.Ticket.Value);
                j.WriteString("symbol", d.Symbol);
                j.WriteString("direction", direction.WireName());
                j.WriteNumber("volume", lot);
                j.WriteNumber("open_price", d.Price ?? 0);
                j.WriteNumber("execution_time", e.TimeMs);
                WriteLevels(j, d);
            })),
            "fire_failed" or "risk_blocked" or "slot_released" => (e.EventType, Data(j =>
            {
                j.WriteString("user_id", user);
                j.WriteString("reason", d.Reason ?? e.Detail);
                j.WriteString("fire_id", e.FireId);
                j.WriteString("message", e.Detail);
            })),
            "position_closed" when d.Ticket is > 0 => (EventTypes.PositionClosed, Data(j =>
            {
                j.WriteNumber("ticket", d.Ticket.Value);
                j.WriteString("fire_id", e.FireId);
                j.WriteString("mission_id", e.MissionId);
                j.WriteString("reason", d.Reason);
            })),
            "balance_update" when d.Balance is { } balance && d.Equity is { } equity => (EventTypes.BalanceUpdate, Data(j =>
            {
                j.WriteString("user_id", user);
                j.WriteString("account_number", d.Account ?? user);
                j.WriteNumber("balance", balance);
                j.WriteNumber("equity", equity);
            })),
            "signal_expired" => (EventTypes.SignalExpired, Data(j =>
            {
                j.WriteString("signal_id", d.SignalId);
                j.WriteString("mission_id", e.MissionId);
            })),
            "system_health" or "ea_refused" => (EventTypes.SystemHealth, Data(j =>
            {
                j.WriteString("component", e.EventType == "ea_refused" ? "ea-gateway" : "execution");
                j.WriteString("status", e.EventType == "ea_refused" ? "error" : "running");
                j.WriteString("message", e.Detail.Length > 500 ? e.Detail[..500] : e.Detail);
            })),
            _ => ((string?)null, ""),
        };
        return type is null ? null : new EventEnvelope(type, e.TimeMs, Source, data, e.FireId ?? e.MissionId, user);
    }

    private static void WriteLevels(Utf8JsonWriter json, ExecutionDetails d)
    {
        if (d.StopLoss is { } sl)
        {
            json.WriteNumber("sl_price", sl);
        }

        if (d.TakeProfit is { } tp)
        {
            json.WriteNumber("tp_price", tp);
        }
    }
}
