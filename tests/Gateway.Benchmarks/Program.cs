using System.Reflection;
using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Dashboard;

// Runs the benchmarks chosen on the command line, e.g. `-- --filter '*Encoder*'` (BenchmarkDotNet's switcher), or
// `-- dashboard URL USER PASSWORD WINDOW_SECONDS`, the browser probe of deploy/bench/dashboard.sh.
// The assembly is named without `typeof(Program)`: gateway-ingest, referenced for its benchmarks, has a public
// Program of its own, and the clash (CS0436) is an error under warnings-as-errors.
if (args is ["dashboard", .. var rest]) return await DashboardProbe.RunAsync(rest);
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
