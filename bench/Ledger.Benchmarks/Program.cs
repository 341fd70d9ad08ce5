using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Ledger.Benchmarks.CertificateExecutionBenchmark).Assembly).Run(args);
