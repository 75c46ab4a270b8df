namespace Bitten.Indicators;

/// <summary>
/// What every streaming indicator exposes, whatever its input (a price or a <see cref="Bar"/>). Inputs go in through
/// <see cref="ValueIndicator.Update"/> or <see cref="BarIndicator.Update"/>.
/// </summary>
public interface IIndicator
{
    /// <summary>Short display name with its parameters, such as "BB(20,2)".</summary>
    string Name { get; }

    /// <summary>True once <see cref="Samples"/> has reached <see cref="WarmUpPeriod"/>.</summary>
    bool IsReady { get; }

    /// <summary>How many updates it takes before <see cref="Current"/> means anything.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Updates since construction or the last <see cref="Reset"/>.</summary>
    int Samples { get; }

    /// <summary>The latest value; 0 while not <see cref="IsReady"/>.</summary>
    double Current { get; }

    /// <summary>Back to the state of a freshly constructed instance.</summary>
    void Reset();
}
