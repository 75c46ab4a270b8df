using System.Globalization;

namespace Bitten.Indicators.Filters;

/// <summary>
/// Scalar Kalman filter for a random walk observed with noise: the hidden price moves by N(0, Q) per update and each
/// measurement adds N(0, R). Per update: predict P⁻ = P + Q; gain K = P⁻ / (P⁻ + R); residual z − x; estimate
/// x += K × residual; variance P = (1 − K) P⁻. Display name "KF(Q,R)"; ready after one measurement;
/// <see cref="Indicator.Current"/> is the estimate.
/// </summary>
/// <remarks>
/// With constant Q &gt; 0 and R the gain converges, whatever the initial variance, to K∞ = (−Q + √(Q² + 4QR)) / (2R), when
/// it behaves like an EMA with alpha K∞; the filter's value over an EMA is the principled start (a large initial
/// variance trusts the first measurements) and the exposed variance and residual.
/// </remarks>
public sealed class KalmanFilter : ValueIndicator
{
    /// <summary>A filter with noise variances <paramref name="processNoise"/> (Q) and <paramref name="measurementNoise"/> (R).</summary>
    /// <param name="processNoise">Q, variance of the hidden price's step per update; ≥ 0.</param>
    /// <param name="measurementNoise">R, variance of a measurement around the hidden price; &gt; 0.</param>
    /// <param name="initialEstimate">The estimate before the first measurement.</param>
    /// <param name="initialVariance">How unsure that initial estimate is; ≥ 0. Make it large to follow the first measurements.</param>
    public KalmanFilter(double processNoise, double measurementNoise, double initialEstimate, double initialVariance)
        : base(string.Create(CultureInfo.InvariantCulture, $"KF({processNoise},{measurementNoise})"), 1)
    {
        if (!double.IsFinite(processNoise) || processNoise < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(processNoise), processNoise, "Q must be finite and non-negative");
        }

        if (!double.IsFinite(measurementNoise) || measurementNoise <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(measurementNoise), measurementNoise, "R must be finite and positive");
        }

        if (!double.IsFinite(initialEstimate))
        {
            throw new ArgumentOutOfRangeException(nameof(initialEstimate), initialEstimate, "the initial estimate must be finite");
        }

        if (!double.IsFinite(initialVariance) || initialVariance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialVariance), initialVariance, "the initial variance must be finite and non-negative");
        }

        ProcessNoise = processNoise;
        MeasurementNoise = measurementNoise;
        InitialEstimate = initialEstimate;
        InitialVariance = initialVariance;
        Estimate = initialEstimate;
        Variance = initialVariance;
    }

    /// <summary>Q.</summary>
    public double ProcessNoise { get; }

    /// <summary>R.</summary>
    public double MeasurementNoise { get; }

    /// <summary>The estimate before any measurement, restored by <see cref="Indicator.Reset"/>.</summary>
    public double InitialEstimate { get; }

    /// <summary>The variance before any measurement, restored by <see cref="Indicator.Reset"/>.</summary>
    public double InitialVariance { get; }

    /// <summary>The filtered price, x.</summary>
    public double Estimate { get; private set; }

    /// <summary>Variance of <see cref="Estimate"/> after the latest measurement, P.</summary>
    public double Variance { get; private set; }

    /// <summary>Weight the latest measurement received, K; 0 before any.</summary>
    public double Gain { get; private set; }

    /// <summary>Latest measurement minus the prediction it corrected (the innovation); 0 before any.</summary>
    public double Residual { get; private set; }

    /// <inheritdoc />
    protected override double ComputeNextValue(double value)
    {
        var prior = Variance + ProcessNoise;
        Gain = prior / (prior + MeasurementNoise);
        Residual = value - Estimate;
        Estimate += Gain * Residual;
        Variance = (1 - Gain) * prior;
        return Estimate;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        Estimate = InitialEstimate;
        Variance = InitialVariance;
        Gain = 0;
        Residual = 0;
    }
}
