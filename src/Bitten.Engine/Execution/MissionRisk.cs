using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// What a fire of a mission would put on the line for one user: the lot <see cref="LotSizer"/> sizes from the balance
/// and risk, the money lost at the SL and won at the TP with it, in <see cref="Currency"/> — or, when any of that
/// cannot be known yet, null figures and the sentence why (<see cref="Reason"/>).
/// </summary>
public sealed record MissionRisk(decimal? Lot, decimal? MoneyAtRisk, decimal? MoneyToGain, string? Currency, string? Reason)
{
    public bool Known => Reason is null;

    public static MissionRisk Unknown(string reason) => new(null, null, null, null, reason);

    /// <summary>
    /// The figures for an account, risk and signal with the spec a fire would use. The fallback specs are priced for
    /// an account in USD, so without an EA-reported spec the currency is USD whatever the account says.
    /// </summary>
    public static MissionRisk Of(AccountSnapshot? account, decimal riskPercent, Signal signal, TradingSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (account is null)
        {
            return Unknown("your EA has not reported a balance yet");
        }

        if (spec is null)
        {
            return Unknown($"{signal.Symbol} has no trading spec yet: no lot can be sized until your EA reports it");
        }

        var stop = Math.Abs(signal.EntryPrice - signal.StopLoss);
        var lot = LotSizer.Size(account.Balance, riskPercent, stop, spec);
        if (lot == 0)
        {
            return Unknown(FormattableString.Invariant($"{riskPercent}% of a balance of {account.Balance:0.00} with this stop is below the minimum lot for {signal.Symbol}"));
        }

        var currency = spec.FromEa ? account.Currency : "USD";
        return new MissionRisk(lot, LotSizer.MoneyAt(lot, stop, spec), LotSizer.MoneyAt(lot, Math.Abs(signal.TakeProfit - signal.EntryPrice), spec),
            currency, null);
    }
}
