using System.Reflection;
using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, e.g. `-- --filter '*Encoder*'` (BenchmarkDotNet's switcher).
// The assembly is named without `typeof(Program)`: gateway-ingest, referenced for its benchmarks, has a public
// Program of its own, and the clash (CS0436) is an error under warnings-as-errors.
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
