namespace Bitten.Domain.Events;

/// <summary>
/// Something that happened in the engine, as an immutable past-tense record. <see cref="TimeMs"/> is when it happened on
/// the kernel's clock (Unix ms). Each concrete record has exactly one mapping to the wire envelope of PRODUCT.md §7
/// (Bitten.Wire's <c>TradingEventJson</c>); a record without one fails a test, never a default branch at run time.
/// </summary>
public abstract record TradingEvent(long TimeMs);

/// <summary>An event about one user's missions, fires, positions or account.</summary>
public abstract record TraderEvent(long TimeMs, long UserId) : TradingEvent(TimeMs);
