using System.Diagnostics;
using BenchmarkDotNet.Running;
using Bitten.Benchmarks;

// dotnet run -c Release --project bench/Bitten.Benchmarks -- --filter '*'     (BenchmarkDotNet, minutes)
// dotnet run -c Release --project bench/Bitten.Benchmarks -- quick           (a rough stopwatch pass, seconds)
// dotnet run -c Release --project bench/Bitten.Benchmarks -- quick fire-lock (the same for the commit that gates the sends)
// dotnet run -c Release --project bench/Bitten.Benchmarks -- quick fire-lock --postgres "Host=…" (the same on PostgreSQL)
if (args is ["quick", "fire-lock"] or ["quick", "fire-lock", "--postgres", _])
{
    using var locks = new FireLockBenchmarks(args is [_, _, _, var server] ? server : null);
    locks.Setup();
    var (commits, filings) = (new List<double>(), new List<double>());
    for (var i = 0; i < 100; i++)
    {
        var start = Stopwatch.GetTimestamp();
        if (locks.CommitOneSignalsFires() != 0)
        {
            throw new InvalidOperationException("a new mission's claim was refused");
        }

        commits.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        start = Stopwatch.GetTimestamp();
        if (locks.FileOneSignalsFires() != FireLockBenchmarks.Fires)
        {
            throw new InvalidOperationException("a batch's fires were not all filed");
        }

        filings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    static string Spread(List<double> times)
    {
        times.Sort();
        return $"median {times[times.Count / 2]:F2} ms   p10 {times[times.Count / 10]:F2}   p90 {times[times.Count * 9 / 10]:F2}";
    }

    Console.WriteLine($"commit {FireLockBenchmarks.Fires} fires with their locks: {Spread(commits)}");
    Console.WriteLine($"file them into fires, missions and slots:  {Spread(filings)}");
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
