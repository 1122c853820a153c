using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AvDsl.Runtime.Distributed;
using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Torch;
using AvDsl.Specs;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The gradient all-reduce of one EatTiny step between 2 processes of 1 thread on loopback Gloo, AvDsl's
/// <see cref="DataParallel.AverageGradients"/> against the same buckets reduced by torch.distributed in
/// allreduce_step.py (flatten each bucket, all_reduce SUM, divide, copy back: what DDP does per bucket). The two sides
/// alternate in rounds; each round starts two fresh processes per side. Rank 0 times every step.
/// </summary>
internal static class AllReduceBenchmark
{
    public static int Run(Options o)
    {
        var shapes = EatTinyShapes();
        var buckets = DataParallel.BucketsOf(shapes.Select(s => (s.Shape.Aggregate(1L, (a, b) => a * b), DType.Float32)).ToArray(), DataParallel.DefaultBucketBytes);
        var bytes = shapes.Sum(s => s.Shape.Aggregate(4L, (a, b) => a * b));
        Console.WriteLine($"EatTiny's trained gradients: {shapes.Length} tensors, {bytes / 1048576.0:F1} MiB a step in {buckets.Count} buckets; " +
                          $"2 processes x 1 thread, Gloo on loopback; {o.Rounds} alternating rounds of {o.Steps} timed steps ({o.Warmup} warm-up)");
        var spec = JsonSerializer.Serialize(buckets.Select(b => b.Select(i => shapes[i].Shape).ToArray()).ToArray());
        var specFile = Path.Combine(Path.GetTempPath(), $"avdsl-allreduce-{Environment.ProcessId}.json");
        File.WriteAllText(specFile, spec);
        var avdsl = new List<double>();
        var python = new List<double>();
        try
        {
            for (var round = 0; round < o.Rounds; round++)
            {
                avdsl.AddRange(Pair(o, (rank, port) => Self("allreduce-worker", rank, port, o, specFile)));
                python.AddRange(Pair(o, (rank, port) => Python(o, rank, port, specFile)));
            }
        }
        finally
        {
            File.Delete(specFile);
        }
        StepTimes.Report("AvDsl DataParallel.AverageGradients", avdsl);
        StepTimes.Report("PyTorch torch.distributed (gloo)", python);
        Console.WriteLine($"ratio AvDsl / PyTorch: median {StepTimes.Median(avdsl) / StepTimes.Median(python):F3}; " +
                          $"{bytes / 1048576.0 / (StepTimes.Median(avdsl) / 1000):F0} MiB/s reduced by AvDsl");
        return 0;
    }

    /// <summary>One rank of the AvDsl side: <c>allreduce-worker RANK PORT STEPS WARMUP SPECFILE</c>.</summary>
    public static int Worker(string[] args)
    {
        var (rank, port, steps, warmup) = (int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        var buckets = JsonSerializer.Deserialize<long[][][]>(File.ReadAllText(args[5]))!;
        T.SetNumThreads(1);
        var timeout = TimeSpan.FromSeconds(60);
        using var store = new TcpStore("127.0.0.1", port, isServer: rank == 0, worldSize: 2, timeout);
        using var group = ProcessGroup.Gloo(store, rank, 2, timeout);
        using var scope = new TensorScope();
        var parameters = buckets.SelectMany(b => b).Reverse().Select(shape =>
        {
            var p = new Runtime.Nn.Parameter(T.Zeros(shape));
            p.Grad = T.Randn(shape);
            return p;
        }).ToArray();
        var parallel = new DataParallel(group, parameters);
        var times = new List<double>();
        for (var step = 0; step < warmup + steps; step++)
        {
            group.Barrier();
            var clock = Stopwatch.StartNew();
            parallel.AverageGradients();
            if (step >= warmup) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        if (rank == 0) Console.WriteLine(JsonSerializer.Serialize(new { ms = times }));
        return 0;
    }

    private static (string Name, long[] Shape)[] EatTinyShapes()
    {
        var plan = EatTinySpec.Plan();
        using var scope = new TensorScope();
        using var model = plan.CreateModel();
        return model.NamedParameters().Where(p => p.Value.RequiresGrad).Select(p => (p.Key, p.Value.Shape)).ToArray();
    }

    private static ProcessStartInfo Self(string mode, int rank, int port, Options o, string specFile)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(typeof(AllReduceBenchmark).Assembly.Location);
        foreach (var a in new[] { mode, $"{rank}", $"{port}", $"{o.Steps}", $"{o.Warmup}", specFile })
            start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        return start;
    }

    private static ProcessStartInfo Python(Options o, int rank, int port, string specFile)
    {
        var start = new ProcessStartInfo(o.Python ?? "/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        PythonSide.Tune(start);
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "allreduce_step.py"), $"{rank}", $"{port}", $"{o.Steps}", $"{o.Warmup}", specFile })
            start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        return start;
    }

    // Both ranks of one side at once; rank 0's timings.
    private static List<double> Pair(Options o, Func<int, int, ProcessStartInfo> start)
    {
        var port = AvDsl.Runtime.Torch.Distributed.TcpStore.FreeLoopbackPort();
        var processes = Enumerable.Range(0, 2).Select(rank => Process.Start(start(rank, port))!).ToArray();
        var outputs = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToArray();
        foreach (var p in processes)
        {
            if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill(entireProcessTree: true);
            if (p.ExitCode != 0) throw new InvalidOperationException($"{p.StartInfo.FileName} exited with {p.ExitCode}");
        }
        var json = outputs[0].Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonDocument.Parse(json).RootElement.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
    }
}
