using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Bitten.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
