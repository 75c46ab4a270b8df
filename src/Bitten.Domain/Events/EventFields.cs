namespace Bitten.Domain.Events;

/// <summary>
/// The data field names of the PRODUCT.md §7 events, written once: the mapping that writes them (Bitten.Wire's
/// TradingEventJson), the validation table that checks them (EventJson) and the projections that read them all use
/// these, so a misspelt field is a compile error rather than a silently missing column.
/// </summary>
public static class EventFields
{
    public const string AccountNumber = "account_number";

    public const string Action = "action";

    public const string Achievement = "achievement";

    public const string Ask = "ask";

    public const string Balance = "balance";

    public const string Bid = "bid";

    public const string Cause = "cause";

    public const string CauseKey = "cause_key";

    public const string CitadelScore = "citadel_score";

    public const string Component = "component";

    public const string Confidence = "confidence";

    public const string CpuUsage = "cpu_usage";

    public const string Direction = "direction";

    public const string DurationMinutes = "duration_minutes";

    public const string EntryPrice = "entry_price";

    public const string Equity = "equity";

    public const string ExecutionMode = "execution_mode";

    public const string ExecutionTime = "execution_time";

    public const string ExitPrice = "exit_price";

    public const string ExpiresAt = "expires_at";

    public const string FireId = "fire_id";

    public const string FreeMargin = "free_margin";

    public const string Ip = "ip";

    public const string Level = "level";

    public const string LotSize = "lot_size";

    public const string Margin = "margin";

    public const string MaxAdversePips = "max_adverse_pips";

    public const string MaxFavourablePips = "max_favourable_pips";

    public const string MemoryUsage = "memory_usage";

    public const string Message = "message";

    public const string MissionId = "mission_id";

    public const string OpenPrice = "open_price";

    public const string Outcome = "outcome";

    public const string Pattern = "pattern";

    public const string PatternType = "pattern_type";

    public const string Pips = "pips";

    public const string Previous = "previous";

    public const string Reason = "reason";

    public const string RiskReward = "risk_reward";

    public const string Score = "score";

    public const string Session = "session";

    public const string SignalId = "signal_id";

    public const string Sl = "sl";

    public const string SlPrice = "sl_price";

    public const string Status = "status";

    public const string StopPips = "stop_pips";

    public const string Symbol = "symbol";

    public const string Target = "target";

    public const string TargetPips = "target_pips";

    public const string Ticket = "ticket";

    public const string Timestamp = "timestamp";

    public const string TotalXp = "total_xp";

    public const string Tp = "tp";

    public const string TpPrice = "tp_price";

    public const string Uptime = "uptime";

    public const string UserAgent = "user_agent";

    public const string UserId = "user_id";

    public const string Value = "value";

    public const string Volume = "volume";

    public const string Xp = "xp";
}
