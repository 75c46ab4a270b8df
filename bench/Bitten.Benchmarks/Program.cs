using System.Diagnostics;
using BenchmarkDotNet.Running;
using Bitten.Benchmarks;

// dotnet run -c Release --project bench/Bitten.Benchmarks -- --filter '*'     (BenchmarkDotNet, minutes)
// dotnet run -c Release --project bench/Bitten.Benchmarks -- quick           (a rough stopwatch pass, seconds)
// dotnet run -c Release --project bench/Bitten.Benchmarks -- quick fire-lock (the same for the commit that gates the sends)
if (args is ["quick", "fire-lock"])
{
    using var locks = new FireLockBenchmarks();
    locks.Setup();
    var times = new List<double>();
    for (var i = 0; i < 300; i++)
    {
        var start = Stopwatch.GetTimestamp();
        if (locks.CommitOneSignalsFires() != 0)
        {
            throw new InvalidOperationException("a new mission's claim was refused");
        }

        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"commit {FireLockBenchmarks.Fires} fires with their locks: median {times[times.Count / 2]:F2} ms   p10 {times[times.Count / 10]:F2}   p90 {times[times.Count * 9 / 10]:F2}");
    return;
}

if (args is ["quick"])
{
    var bench = new TickPathBenchmarks();
    bench.Setup();
    var cases = new (string Name, Func<object> Run)[]
    {
        ("Parse", () => bench.Parse()),
        ("ParseWithReader", () => bench.ParseWithReader()),
        ("CandleUpdate", () => bench.CandleUpdate()),
        ("ParseValidateCandle", () => bench.ParseValidateCandle()),
    };
    foreach (var (name, run) in cases)
    {
        var samples = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / TickPathBenchmarks.Ticks);
        }

        samples.Sort();
        Console.WriteLine($"{name,-20} median {samples[samples.Count / 2],8:F1} ns/tick   p10 {samples[samples.Count / 10],8:F1}");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
