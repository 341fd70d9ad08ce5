using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "store-growth")
{
    Ledger.Benchmarks.StoreGrowthMeasurement.Run(args);
    return;
}
if (args.Length > 0 && args[0] == "deadline-sweep")
{
    Ledger.Benchmarks.DeadlineSweepMeasurement.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Ledger.Benchmarks.CertificateExecutionBenchmark).Assembly).Run(args);
