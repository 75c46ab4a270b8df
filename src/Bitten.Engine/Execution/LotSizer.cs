using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// Lot = money at risk / loss of one lot at the stop (PRODUCT.md §5). Works in decimal so a lot lands exactly on the
/// broker's volume step: in double 0.07 / 0.01 is 7.000000000000001 and 0.29 / 0.01 is 28.999999999999996, which
/// would round a correct lot down a whole step.
/// </summary>
public static class LotSizer
{
    /// <summary>
    /// The unrounded lot that loses exactly <paramref name="riskPercent"/> per cent of <paramref name="balance"/> if
    /// the stop is hit: (balance × risk% / 100) / (stop distance / tick size × tick value).
    /// <paramref name="stopDistance"/> is in price units (0.0020 for a 20-pip EURUSD stop). Returns 0 when any input
    /// is not positive or not finite, so a bad input can never size a trade.
    /// </summary>
    public static decimal RawLot(decimal balance, decimal riskPercent, double stopDistance, TradingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (balance <= 0 || riskPercent <= 0 || spec.TickValue <= 0
            || !IsPositiveDecimal(stopDistance) || !IsPositiveDecimal(spec.TickSize))
        {
            return 0m;
        }

        var moneyAtRisk = balance * riskPercent / 100m;
        try
        {
            var lossPerLot = MoneyPerLot(stopDistance, spec);
            return lossPerLot <= 0 ? 0m : moneyAtRisk / lossPerLot;
        }
        catch (OverflowException)
        {
            // Only absurd inputs get here (a stop of 1e20 ticks, a tick worth 1e-28); no tradable lot either way.
            return 0m;
        }
    }

    /// <summary>
    /// What <paramref name="lot"/> loses or wins over a price move of <paramref name="distance"/> (price units), in the
    /// currency of the spec's tick value: the figure sizing solves for, shown to the user before a fire. 0 for an input
    /// that could not size a trade.
    /// </summary>
    public static decimal MoneyAt(decimal lot, double distance, TradingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (lot <= 0 || spec.TickValue <= 0 || !IsPositiveDecimal(distance) || !IsPositiveDecimal(spec.TickSize))
        {
            return 0m;
        }

        try
        {
            return lot * MoneyPerLot(distance, spec);
        }
        catch (OverflowException)
        {
            return 0m;
        }
    }

    // Through decimal: (decimal)0.002 / (decimal)0.00001 is exactly 200 ticks, where the doubles give 199.99999999999997.
    private static decimal MoneyPerLot(double distance, TradingSpec spec) => (decimal)distance / (decimal)spec.TickSize * spec.TickValue;

    /// <summary>
    /// The lot to send: <see cref="RawLot"/> rounded DOWN to a whole multiple of the volume step, capped at the
    /// volume maximum. When that is below the volume minimum the answer is 0 and the caller refuses the fire with
    /// <see cref="FireRefusal.LotBelowMinimum"/>: we never size UP to the minimum, because that lot would lose more
    /// than the risk the user chose if the stop is hit. Rounding down for the same reason: the risk taken is at most
    /// the risk asked for (up to a billionth of a step, see <see cref="StepTolerancePlaces"/>).
    /// </summary>
    public static decimal Size(decimal balance, decimal riskPercent, double stopDistance, TradingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.VolumeStep <= 0)
        {
            // A spec without a step cannot be rounded to something the broker accepts; TradingSpecs never makes one.
            return 0m;
        }

        var raw = RawLot(balance, riskPercent, stopDistance, spec);
        // Capping first also keeps raw / step from overflowing for an absurdly large raw lot.
        var lot = raw >= spec.VolumeMax
            ? spec.VolumeMax
            : decimal.Floor(Math.Round(raw / spec.VolumeStep, StepTolerancePlaces)) * spec.VolumeStep;

        return lot < spec.VolumeMin || lot <= 0 ? 0m : lot;
    }

    /// <summary>
    /// A raw lot within 1e-9 of a step of the next whole step counts as that step. Decimal cannot hold a tick value such
    /// as 100/150 (USDJPY at 150) exactly; its last digit rounds up, so a lot that is truly 5.00 can come out
    /// 4.999…98 and would floor to 4.99. The tolerance over-risks by at most a billionth of a step.
    /// </summary>
    private const int StepTolerancePlaces = 9;

    // decimal holds magnitudes 1e-28..7.9e28; outside that the conversion would throw or give 0.
    private static bool IsPositiveDecimal(double value) => double.IsFinite(value) && value >= 1e-20 && value <= 1e20;
}
