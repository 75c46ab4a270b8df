using Bitten.Domain.Signals;

namespace Bitten.Domain.Events;

/// <summary>Elite Guard (or an admin through the API) raised a signal; <see cref="TradingEvent.TimeMs"/> is its tick time.</summary>
public sealed record SignalRaised(Signal Signal) : TradingEvent(Signal.TimestampMs);

/// <summary>A tracked signal reached its TP or SL.</summary>
public sealed record SignalResolved(SignalOutcome Outcome) : TradingEvent(Outcome.ExitTimeMs);
