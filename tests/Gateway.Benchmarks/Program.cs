using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, e.g. `-- --filter '*Encoder*'` (BenchmarkDotNet's switcher).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
