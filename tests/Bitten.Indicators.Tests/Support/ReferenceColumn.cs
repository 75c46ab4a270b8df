namespace Bitten.Indicators.Tests.Support;

/// <summary>How far a computed value may sit from a printed reference: |actual − expected| ≤ absolute + relative × |expected|.</summary>
public readonly record struct Tolerance(double Absolute, double Relative)
{
    public static Tolerance Abs(double absolute) => new(absolute, 0);

    public static Tolerance Rel(double relative) => new(0, relative);

    public bool Allows(double expected, double actual) =>
        Math.Abs(actual - expected) <= Absolute + (Relative * Math.Abs(expected));

    public override string ToString() => Relative == 0 ? $"abs {Absolute:G3}" : Absolute == 0 ? $"rel {Relative:G3}" : $"abs {Absolute:G3} + rel {Relative:G3}";
}

/// <summary>One output of an indicator checked against one column of a reference file.</summary>
/// <param name="Column">Header of the reference column.</param>
/// <param name="Output">Reads the output from the indicator, scaled to the file's units.</param>
/// <param name="Tolerance">What the file's printed precision allows.</param>
public sealed record ReferenceColumn<T>(string Column, Func<T, double> Output, Tolerance Tolerance);
