using System.Globalization;

namespace Bitten.Indicators.Volatility;

/// <summary>
/// Population standard deviation (divide by n, as Bollinger and LEAN do) of the last n values. Display name
/// "STD(n)"; ready after n values. Also exposes the window's <see cref="Mean"/> and <see cref="Variance"/>.
/// </summary>
public sealed class StandardDeviation : ValueIndicator
{
    private readonly RollingWindow<double> _window;

    /// <summary>A standard deviation over <paramref name="period"/> values.</summary>
    public StandardDeviation(int period)
        : base(string.Create(CultureInfo.InvariantCulture, $"STD({period})"), period)
    {
        _window = new RollingWindow<double>(period);
    }

    /// <summary>Number of values in the window.</summary>
    public int Period => _window.Size;

    /// <summary>Mean of the window; 0 until ready.</summary>
    public double Mean { get; private set; }

    /// <summary>Population variance of the window; 0 until ready.</summary>
    public double Variance { get; private set; }

    /// <inheritdoc />
    protected override double ComputeNextValue(double value)
    {
        _window.Add(value);
        if (!_window.IsFull)
        {
            return 0;
        }

        // Two passes over the window instead of running sums of x and x²: prices near 150 with a variance near 1
        // would lose most significant digits to cancellation, and periods are short enough for O(n) to be cheap.
        var sum = 0.0;
        for (var i = 0; i < _window.Count; i++)
        {
            sum += _window[i];
        }

        var mean = sum / _window.Count;
        var squares = 0.0;
        for (var i = 0; i < _window.Count; i++)
        {
            var deviation = _window[i] - mean;
            squares += deviation * deviation;
        }

        Mean = mean;
        Variance = squares / _window.Count;
        return Math.Sqrt(Variance);
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _window.Clear();
        Mean = 0;
        Variance = 0;
    }
}
