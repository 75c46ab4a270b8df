namespace Bitten.Indicators;

/// <summary>
/// Shared state of every indicator: name, warm-up, sample count and the current value. Derive from
/// <see cref="ValueIndicator"/> or <see cref="BarIndicator"/>, which add the typed <c>Update</c>.
/// </summary>
/// <remarks>
/// Not thread-safe and deliberately lock-free: indicators live on the kernel thread that owns all trading state.
/// Updates allocate nothing. Inputs must be finite; ticks are validated upstream.
/// </remarks>
public abstract class Indicator : IIndicator
{
    private protected Indicator(string name, int warmUpPeriod)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmUpPeriod, 1);
        Name = name;
        WarmUpPeriod = warmUpPeriod;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int WarmUpPeriod { get; }

    /// <inheritdoc />
    public int Samples { get; private set; }

    /// <inheritdoc />
    public double Current { get; private set; }

    /// <inheritdoc />
    public bool IsReady => Samples >= WarmUpPeriod;

    /// <inheritdoc />
    public void Reset()
    {
        Samples = 0;
        Current = 0;
        OnReset();
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Clears the derived state, including inner indicators and output properties.</summary>
    protected abstract void OnReset();

    // Counted before computing, as LEAN does, so a computation sees the sample it is processing in Samples.
    private protected void BeginSample() => Samples++;

    // Half-warmed values (an average of 3 prices reported as a 20-period SMA) are a trap for the code reading
    // Current, so the contract is a plain 0 until ready.
    private protected void EndSample(double next) => Current = IsReady ? next : 0;
}

/// <summary>An indicator fed one price (usually a close) per update.</summary>
public abstract class ValueIndicator : Indicator
{
    /// <summary>Names the indicator and fixes how many updates it needs before it is ready.</summary>
    protected ValueIndicator(string name, int warmUpPeriod)
        : base(name, warmUpPeriod)
    {
    }

    /// <summary>Feeds the next price.</summary>
    public void Update(double value)
    {
        BeginSample();
        EndSample(ComputeNextValue(value));
    }

    /// <summary>The value after <paramref name="value"/>; <see cref="Indicator.Samples"/> already counts it.</summary>
    protected abstract double ComputeNextValue(double value);
}

/// <summary>An indicator fed one <see cref="Bar"/> per update.</summary>
public abstract class BarIndicator : Indicator
{
    /// <summary>Names the indicator and fixes how many updates it needs before it is ready.</summary>
    protected BarIndicator(string name, int warmUpPeriod)
        : base(name, warmUpPeriod)
    {
    }

    /// <summary>Feeds the next closed bar.</summary>
    public void Update(in Bar bar)
    {
        BeginSample();
        EndSample(ComputeNextValue(bar));
    }

    /// <summary>The value after <paramref name="bar"/>; <see cref="Indicator.Samples"/> already counts it.</summary>
    protected abstract double ComputeNextValue(in Bar bar);
}
