using Bitten.Indicators.Filters;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Filters;

/// <summary>
/// There is no public Kalman reference file, so the shared contract runs over real closes against the same filter
/// written independently in information form: 1/P = 1/P⁻ + 1/R and x = P (x⁻/P⁻ + z/R), algebraically equal to the
/// gain form the library uses but computed along a different path. The closed-form steady state and a 4-step
/// sequence worked by hand complete the checks.
/// </summary>
public sealed class KalmanFilterTests : ValueIndicatorTests<KalmanFilter>
{
    private const double Q = 0.05;
    private const double R = 1.0;
    private const double InitialEstimate = 0;
    private const double InitialVariance = 1e4;

    protected override string ReferenceFile => "indicators/lean/spy_ema.csv";

    protected override string ExpectedName => "KF(0.05,1)";

    protected override int ExpectedWarmUpPeriod => 1;

    protected override IReadOnlyList<ReferenceColumn<KalmanFilter>> ReferenceColumns =>
    [
        new("Estimate", kf => kf.Current, Tolerance.Rel(1e-12)),
        new("Estimate", kf => kf.Estimate, Tolerance.Rel(1e-12)),
        new("Variance", kf => kf.Variance, Tolerance.Rel(1e-12)),
        new("Gain", kf => kf.Gain, Tolerance.Rel(1e-12)),
        new("Residual", kf => kf.Residual, new Tolerance(1e-9, 1e-9)),
    ];

    protected override KalmanFilter CreateIndicator() => new(Q, R, InitialEstimate, InitialVariance);

    protected override ReferenceTable LoadReference()
    {
        var table = ReferenceTable.Load(ReferenceFile);
        var close = table.Column("close");
        var estimate = new double[table.RowCount];
        var variance = new double[table.RowCount];
        var gain = new double[table.RowCount];
        var residual = new double[table.RowCount];
        double x = InitialEstimate, p = InitialVariance;
        for (var i = 0; i < close.Length; i++)
        {
            var prior = p + Q;
            residual[i] = close[i] - x;
            p = 1 / ((1 / prior) + (1 / R));
            x = p * ((x / prior) + (close[i] / R));
            gain[i] = p / R;
            estimate[i] = x;
            variance[i] = p;
        }

        return table.WithColumn("Estimate", estimate).WithColumn("Variance", variance)
            .WithColumn("Gain", gain).WithColumn("Residual", residual);
    }

    [Theory]
    [InlineData(1.0, 2.0, 0.0)]
    [InlineData(1.0, 2.0, 1e6)]
    [InlineData(0.05, 1.0, 1e4)]
    [InlineData(1e-4, 0.5, 0.0)]
    [InlineData(3.0, 0.01, 100.0)]
    public void ConvergesToTheClosedFormSteadyState(double q, double r, double initialVariance)
    {
        // At the fixed point P⁻ = P + Q, K = P⁻/(P⁻ + R) and P = (1 − K) P⁻ = P⁻R/(P⁻ + R), hence P = K R. Substituting
        // P⁻ = P + Q into P (P⁻ + R) = P⁻ R gives P² + Q P − Q R = 0, whose positive root is
        // P∞ = (−Q + √(Q² + 4QR)) / 2, so K∞ = P∞ / R. Computed in the rationalised form 2QR / (Q + √(Q² + 4QR)),
        // which avoids the cancellation of −Q + √… when Q ≫ R.
        var root = Math.Sqrt((q * q) + (4 * q * r));
        var steadyVariance = 2 * q * r / (q + root);
        var steadyGain = steadyVariance / r;
        var steadyPrior = steadyVariance + q;
        Assert.Equal(steadyGain, steadyPrior / (steadyPrior + r), 1e-14);
        Assert.Equal(steadyVariance, (-q + root) / 2, 1e-12);

        // The gain does not depend on the measurements, so any series will do.
        var kf = new KalmanFilter(q, r, 100, initialVariance);
        for (var i = 0; i < 20_000; i++)
        {
            kf.Update(100 + (i % 7));
        }

        Assert.Equal(steadyGain, kf.Gain, 1e-12);
        Assert.Equal(steadyVariance, kf.Variance, 1e-12 * Math.Max(1, steadyVariance));
    }

    [Fact]
    public void MatchesAHandComputedFourStepSequence()
    {
        // Q = 1, R = 2, x0 = 0, P0 = 3; measurements 10, 6, 9, 5.
        // 1: P⁻ = 4,     K = 4/6 = 2/3,          r = 10,          x = 20/3,                    P = 4/3
        // 2: P⁻ = 7/3,   K = (7/3)/(13/3) = 7/13, r = 6 − 20/3 = −2/3, x = 20/3 − 14/39 = 82/13,   P = 14/13
        // 3: P⁻ = 27/13, K = 27/53,              r = 9 − 82/13 = 35/13, x = 82/13 + 945/689 = 5291/689, P = 54/53
        // 4: P⁻ = 107/53, K = 107/213,           r = 5 − 5291/689 = −1846/689,
        //    x = 5291/689 − 197522/146757 = 929461/146757,                                      P = 214/213
        var kf = new KalmanFilter(1, 2, 0, 3);
        var steps = new (double Z, double Gain, double Residual, double Estimate, double Variance)[]
        {
            (10, 2.0 / 3, 10, 20.0 / 3, 4.0 / 3),
            (6, 7.0 / 13, -2.0 / 3, 82.0 / 13, 14.0 / 13),
            (9, 27.0 / 53, 35.0 / 13, 5291.0 / 689, 54.0 / 53),
            (5, 107.0 / 213, -1846.0 / 689, 929461.0 / 146757, 214.0 / 213),
        };

        foreach (var step in steps)
        {
            kf.Update(step.Z);
            Assert.Equal(step.Gain, kf.Gain, 1e-12);
            Assert.Equal(step.Residual, kf.Residual, 1e-12);
            Assert.Equal(step.Estimate, kf.Estimate, 1e-12);
            Assert.Equal(step.Estimate, kf.Current, 1e-12);
            Assert.Equal(step.Variance, kf.Variance, 1e-12);
        }

        // The variances 4/3, 14/13, 54/53, 214/213 head for the closed form's P∞ = (−1 + √9)/2 = 1.
        Assert.Equal(4, kf.Samples);
    }

    [Fact]
    public void RestoresItsInitialEstimateAndVarianceOnReset()
    {
        var kf = new KalmanFilter(1, 2, 7, 3);
        kf.Update(10);
        kf.Reset();

        Assert.Equal(7, kf.Estimate);
        Assert.Equal(3, kf.Variance);
        Assert.Equal(0, kf.Gain);
        Assert.Equal(0, kf.Residual);
    }

    [Fact]
    public void RefusesNoiseThatHasNoMeaning()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KalmanFilter(-1, 1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KalmanFilter(1, 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KalmanFilter(1, 1, 0, double.NaN));
    }
}
