using System.Globalization;

namespace Bitten.Indicators.Averages;

/// <summary>Arithmetic mean of the last n values. Display name "SMA(n)"; ready after n values.</summary>
public sealed class SimpleMovingAverage : ValueIndicator
{
    private readonly RollingWindow<double> _window;
    private double _sum;
    private int _addsSinceResum;

    /// <summary>An SMA over <paramref name="period"/> values.</summary>
    public SimpleMovingAverage(int period)
        : base(string.Create(CultureInfo.InvariantCulture, $"SMA({period})"), period)
    {
        _window = new RollingWindow<double>(period);
    }

    /// <summary>Number of values averaged.</summary>
    public int Period => _window.Size;

    /// <inheritdoc />
    protected override double ComputeNextValue(double value)
    {
        if (_window.IsFull)
        {
            _sum -= _window.Oldest;
        }

        _window.Add(value);
        _sum += value;

        // A running sum drifts by a rounding error per add and subtract, forever; re-adding the window once per
        // period bounds that drift at O(1) amortised cost.
        if (++_addsSinceResum == _window.Size)
        {
            _addsSinceResum = 0;
            _sum = 0;
            for (var i = 0; i < _window.Count; i++)
            {
                _sum += _window[i];
            }
        }

        return _sum / _window.Count;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _window.Clear();
        _sum = 0;
        _addsSinceResum = 0;
    }
}
