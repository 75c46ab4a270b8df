namespace Bitten.Domain.Primitives;

/// <summary>
/// Why an inbound frame was refused at the edge. One list for the parser and the validator, so a single
/// counter array (indexed by this enum) tells an operator everything that was turned away and why.
/// </summary>
public enum RejectReason
{
    None = 0,
    EmptyFrame,
    FrameTooLarge,
    Multipart,
    NotJson,
    Truncated,
    NotAnObject,
    MissingType,
    UnknownType,
    UnexpectedType,
    MissingField,
    WrongFieldType,
    BadTimestamp,
    SymbolTooLong,
    BadSymbol,
    TooManySymbols,
    NonFinitePrice,
    NonPositivePrice,
    AskBelowBid,
    InconsistentBar,
    AbsurdJump,
    FutureTimestamp,
    UnknownTimeframe,
    MisalignedBar,
}

public static class RejectReasons
{
    public static readonly int Count = Enum.GetValues<RejectReason>().Length;

    /// <summary>The snake_case name used in logs, counters and /healthz.</summary>
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.None => "none",
        RejectReason.EmptyFrame => "empty_frame",
        RejectReason.FrameTooLarge => "frame_too_large",
        RejectReason.Multipart => "multipart",
        RejectReason.NotJson => "not_json",
        RejectReason.Truncated => "truncated",
        RejectReason.NotAnObject => "not_an_object",
        RejectReason.MissingType => "missing_type",
        RejectReason.UnknownType => "unknown_type",
        RejectReason.UnexpectedType => "unexpected_type",
        RejectReason.MissingField => "missing_field",
        RejectReason.WrongFieldType => "wrong_field_type",
        RejectReason.BadTimestamp => "bad_timestamp",
        RejectReason.SymbolTooLong => "symbol_too_long",
        RejectReason.BadSymbol => "bad_symbol",
        RejectReason.TooManySymbols => "too_many_symbols",
        RejectReason.NonFinitePrice => "non_finite_price",
        RejectReason.NonPositivePrice => "non_positive_price",
        RejectReason.AskBelowBid => "ask_below_bid",
        RejectReason.InconsistentBar => "inconsistent_bar",
        RejectReason.AbsurdJump => "absurd_jump",
        RejectReason.FutureTimestamp => "future_timestamp",
        RejectReason.UnknownTimeframe => "unknown_timeframe",
        RejectReason.MisalignedBar => "misaligned_bar",
        _ => "unknown",
    };
}
