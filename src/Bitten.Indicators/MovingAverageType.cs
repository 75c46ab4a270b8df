using Bitten.Indicators.Averages;

namespace Bitten.Indicators;

/// <summary>The smoothing an indicator applies to its inner series (true ranges, gains and losses, typical prices).</summary>
public enum MovingAverageType
{
    /// <summary><see cref="SimpleMovingAverage"/>.</summary>
    Simple,

    /// <summary><see cref="ExponentialMovingAverage"/>, alpha = 2/(n+1), seeded by the SMA of the first n values.</summary>
    Exponential,

    /// <summary><see cref="WilderMovingAverage"/>, alpha = 1/n, seeded by the SMA of the first n values.</summary>
    Wilders,
}

/// <summary>Creates the average a <see cref="MovingAverageType"/> names.</summary>
public static class MovingAverageTypeExtensions
{
    /// <summary>A new moving average of this type over <paramref name="period"/> values.</summary>
    public static ValueIndicator Create(this MovingAverageType type, int period) => type switch
    {
        MovingAverageType.Simple => new SimpleMovingAverage(period),
        MovingAverageType.Exponential => new ExponentialMovingAverage(period),
        MovingAverageType.Wilders => new WilderMovingAverage(period),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown moving average type"),
    };

    /// <summary>The average's short name as used in display names: SMA, EMA or RMA.</summary>
    public static string ShortName(this MovingAverageType type) => type switch
    {
        MovingAverageType.Simple => "SMA",
        MovingAverageType.Exponential => "EMA",
        MovingAverageType.Wilders => "RMA",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown moving average type"),
    };
}
