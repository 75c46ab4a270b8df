using System.Globalization;
using System.Text;

namespace Bitten.Indicators.Tests.Support;

/// <summary>
/// The contract every indicator is held to, driven by a reference file: its values after warm-up, the same values
/// after a reset, the exact warm-up, a complete reset, its display name and zero allocation per update. A derived
/// class says how to build the indicator, which file and columns it must match, and how a row feeds it.
/// </summary>
public abstract class IndicatorTests<T>
    where T : Indicator
{
    private const int AllocationUpdates = 10_000;

    private ReferenceTable? _reference;

    /// <summary>Path under shared/data of the file the indicator must reproduce.</summary>
    protected abstract string ReferenceFile { get; }

    protected abstract string ExpectedName { get; }

    protected abstract int ExpectedWarmUpPeriod { get; }

    /// <summary>Outputs and the columns (and tolerances) they must match in <see cref="ReferenceFile"/>.</summary>
    protected abstract IReadOnlyList<ReferenceColumn<T>> ReferenceColumns { get; }

    /// <summary>
    /// Rows of the file left blank after the indicator is ready: 0 unless the file's generator started printing
    /// later than the indicator is ready, which the derived class must then explain.
    /// </summary>
    protected virtual int ReferenceWarmUpSlack => 0;

    protected ReferenceTable Reference => _reference ??= LoadReference();

    [Fact]
    public void HasItsDisplayName() => Assert.Equal(ExpectedName, CreateIndicator().Name);

    [Fact]
    public void ComparesAgainstReferenceData() =>
        AssertMatches(CreateIndicator, Reference, ReferenceColumns, ExpectedWarmUpPeriod, ReferenceWarmUpSlack);

    [Fact]
    public void ComparesAfterReset()
    {
        var expected = Replay(CreateIndicator());

        var reused = CreateIndicator();
        var partial = Math.Min(Reference.RowCount - 1, (2 * ExpectedWarmUpPeriod) + 7);
        for (var row = 0; row < partial; row++)
        {
            Update(reused, Reference, row);
        }

        Assert.True(reused.IsReady);
        reused.Reset();
        var actual = Replay(reused);

        for (var row = 0; row < expected.Count; row++)
        {
            Assert.True(
                expected[row].AsSpan().SequenceEqual(actual[row]),
                $"row {row} ({Reference.Label(row)}) after reset: [{Format(actual[row])}], fresh: [{Format(expected[row])}]");
        }
    }

    [Fact]
    public void WarmsUpProperly()
    {
        var indicator = CreateIndicator();
        Assert.Equal(ExpectedWarmUpPeriod, indicator.WarmUpPeriod);
        Assert.False(indicator.IsReady);
        Assert.Equal(0, indicator.Samples);

        for (var row = 0; row < ExpectedWarmUpPeriod + 5; row++)
        {
            Update(indicator, Reference, row);
            Assert.Equal(row + 1, indicator.Samples);
            Assert.Equal(row + 1 >= ExpectedWarmUpPeriod, indicator.IsReady);
            if (!indicator.IsReady)
            {
                Assert.Equal(0, indicator.Current);
            }
        }
    }

    [Fact]
    public void ResetsProperly()
    {
        var fresh = CreateIndicator();
        var indicator = CreateIndicator();
        for (var row = 0; row < Reference.RowCount; row++)
        {
            Update(indicator, Reference, row);
        }

        Assert.True(indicator.IsReady);
        Assert.NotEqual(0, indicator.Current);

        indicator.Reset();

        Assert.False(indicator.IsReady);
        Assert.Equal(0, indicator.Samples);
        Assert.Equal(0, indicator.Current);
        Assert.Equal(ExpectedName, indicator.Name);
        foreach (var column in ReferenceColumns)
        {
            Assert.Equal(column.Output(fresh), column.Output(indicator));
        }
    }

    [Fact]
    public void AllocatesNothingPerUpdateAfterWarmUp()
    {
        var indicator = CreateIndicator();
        var reference = Reference;

        // The first pass also JIT-compiles and runs static constructors, which may allocate once.
        for (var row = 0; row < reference.RowCount; row++)
        {
            Update(indicator, reference, row);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < AllocationUpdates; i++)
        {
            Update(indicator, reference, i % reference.RowCount);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(reference.RowCount + AllocationUpdates, indicator.Samples);
    }

    protected abstract T CreateIndicator();

    /// <summary>Feeds one row of <paramref name="table"/>. Must not allocate: the allocation test runs through it.</summary>
    protected abstract void Update(T indicator, ReferenceTable table, int row);

    protected virtual ReferenceTable LoadReference() => ReferenceTable.Load(ReferenceFile);

    /// <summary>
    /// Runs a fresh indicator over <paramref name="table"/> and checks every listed column: no reference value while
    /// warming up, exactly <paramref name="slack"/> blanks once ready, and every other row within tolerance. Other
    /// files and configurations than the main reference go through here too.
    /// </summary>
    protected void AssertMatches(
        Func<T> create, ReferenceTable table, IReadOnlyList<ReferenceColumn<T>> columns, int warmUpPeriod, int slack)
    {
        var indicator = create();
        Assert.Equal(warmUpPeriod, indicator.WarmUpPeriod);
        var compared = new int[columns.Count];
        var blanks = new int[columns.Count];
        var worst = new double[columns.Count];
        var failures = new StringBuilder();
        var failureCount = 0;

        for (var row = 0; row < table.RowCount; row++)
        {
            Update(indicator, table, row);
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                var expected = table.Value(column.Column, row);
                if (!indicator.IsReady)
                {
                    Assert.True(
                        double.IsNaN(expected),
                        $"{table.Name} has '{column.Column}' = {expected} at row {row} ({table.Label(row)}), before {indicator.Name} is ready");
                    continue;
                }

                if (double.IsNaN(expected))
                {
                    Assert.True(
                        compared[c] == 0,
                        $"{table.Name} '{column.Column}' is blank at row {row} ({table.Label(row)}) after reference values began");
                    blanks[c]++;
                    continue;
                }

                compared[c]++;
                var actual = column.Output(indicator);
                worst[c] = Math.Max(worst[c], Math.Abs(actual - expected));
                if (!column.Tolerance.Allows(expected, actual) && failureCount++ < 10)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture,
                        $"  row {row} ({table.Label(row)}) '{column.Column}': expected {expected:R}, got {actual:R} ({column.Tolerance})");
                }
            }
        }

        Assert.True(failureCount == 0, $"{failureCount} values of {indicator.Name} outside tolerance in {table.Name}:\n{failures}");
        for (var c = 0; c < columns.Count; c++)
        {
            Assert.Equal(slack, blanks[c]);
            Assert.Equal(table.RowCount - warmUpPeriod + 1 - slack, compared[c]);
        }
    }

    private List<double[]> Replay(T indicator)
    {
        var snapshots = new List<double[]>(Reference.RowCount);
        for (var row = 0; row < Reference.RowCount; row++)
        {
            Update(indicator, Reference, row);
            var snapshot = new double[ReferenceColumns.Count + 3];
            snapshot[0] = indicator.Samples;
            snapshot[1] = indicator.IsReady ? 1 : 0;
            snapshot[2] = indicator.Current;
            for (var c = 0; c < ReferenceColumns.Count; c++)
            {
                snapshot[c + 3] = ReferenceColumns[c].Output(indicator);
            }

            snapshots.Add(snapshot);
        }

        return snapshots;
    }

    private static string Format(double[] values) =>
        string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}

/// <summary>Feeds a value indicator one column of each row, the close unless told otherwise.</summary>
public abstract class ValueIndicatorTests<T> : IndicatorTests<T>
    where T : ValueIndicator
{
    protected virtual string InputColumn => "Close";

    protected override void Update(T indicator, ReferenceTable table, int row) =>
        indicator.Update(table.Value(InputColumn, row));
}

/// <summary>Feeds a bar indicator each row as a <see cref="Bar"/>.</summary>
public abstract class BarIndicatorTests<T> : IndicatorTests<T>
    where T : BarIndicator
{
    protected override void Update(T indicator, ReferenceTable table, int row) => indicator.Update(table.Bar(row));
}
