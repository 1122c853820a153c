using AvDsl.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using T = AvDsl.Runtime.Torch.Torch;

// Side-by-side training step of a ViT encoder (dim 192, depth 6, 3 heads, 129 tokens, batch 32): AvDsl vs PyTorch
// eager on the same libtorch, thread count and OMP_WAIT_POLICY (the Python child inherits this process's
// environment). Also times self-attention with libtorch's fused SDPA against the explicit matmul-softmax-matmul.
// The two sides alternate in rounds (AvDsl, PyTorch, AvDsl, ...) so that a change in machine load hits both alike.
//   dotnet run -c Release --project tests/Benchmarks -- [--threads 2] [--steps 10] [--warmup 3] [--rounds 3] [--python /usr/bin/python3]
var options = Options.Parse(args);
T.SetNumThreads(options.Threads);
Console.WriteLine($"libtorch {T.Version}, threads {T.GetNumThreads()}, OMP_WAIT_POLICY={WaitPolicy()} (both sides), " +
                  $"SDPA op {Functional.SdpaOperator}");
Console.WriteLine($"ViT encoder: dim {options.Dim}, depth {options.Depth}, heads {options.Heads}, tokens {options.Tokens}, batch {options.Batch}; " +
                  $"{options.Rounds} alternating rounds of {options.Steps} timed steps per side ({options.Warmup} warm-up steps first)");

var avdsl = new List<double>();
List<double>? python = [];
using (var bench = new AvDslVit(options))
{
    for (var round = 0; round < options.Rounds; round++)
    {
        avdsl.AddRange(bench.Steps(round == 0 ? options.Warmup : 1, options.Steps));
        if (python is not null && PythonSteps(options, quiet: round > 0) is { } times)
            python.AddRange(times);
        else
            python = null;
    }
}
Report("AvDsl", avdsl);
if (python is not null)
{
    Report("PyTorch eager", python);
    Console.WriteLine($"ratio AvDsl / PyTorch: median step {Median(avdsl) / Median(python):F3}, fastest step {avdsl.Min() / python.Min():F3}");
}

var (fused, explicitAttention) = AttentionSteps(options);
Report("attention fwd+bwd, fused SDPA", fused);
Report("attention fwd+bwd, explicit", explicitAttention);
Console.WriteLine($"ratio fused / explicit attention: {Median(fused) / Median(explicitAttention):F3}");
return 0;


static (List<double> Fused, List<double> Explicit) AttentionSteps(Options o)
{
    using var scope = new TensorScope();
    var headDim = o.Dim / o.Heads;
    var q = T.Randn(o.Batch, o.Heads, o.Tokens, headDim);
    var k = T.Randn(o.Batch, o.Heads, o.Tokens, headDim);
    var v = T.Randn(o.Batch, o.Heads, o.Tokens, headDim);
    foreach (var t in new[] { q, k, v }) t.RequiresGrad = true;
    double Time(Func<Tensor> attention)
    {
        var clock = Stopwatch.StartNew();
        using (new TensorScope())
        {
            attention().Sum().Backward();
            foreach (var t in new[] { q, k, v }) t.ZeroGrad();
        }
        return clock.Elapsed.TotalMilliseconds;
    }
    var scale = 1.0 / Math.Sqrt(headDim);
    var (fusedTimes, explicitTimes) = (new List<double>(), new List<double>());
    // Interleaved, one of each per iteration, so both see the same machine load.
    for (var step = 0; step < o.Warmup + o.Steps * o.Rounds * 3; step++)
    {
        var e = Time(() => (q.Matmul(k.Transpose(-2, -1)) * scale).Softmax(-1).Matmul(v));
        var f = Time(() => Functional.ScaledDotProductAttention(q, k, v));
        if (step < o.Warmup) continue;
        explicitTimes.Add(e);
        fusedTimes.Add(f);
    }
    return (fusedTimes, explicitTimes);
}

static List<double>? PythonSteps(Options o, bool quiet)
{
    var script = Path.Combine(AppContext.BaseDirectory, "vit_step.py");
    foreach (var interpreter in o.Python is { } p ? [p] : new[] { "python3", "/usr/bin/python3" })
    {
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["OMP_WAIT_POLICY"] = WaitPolicy();
        foreach (var a in new[] { script, "--threads", $"{o.Threads}", "--steps", $"{o.Steps}", "--warmup", $"{o.Warmup}",
                     "--dim", $"{o.Dim}", "--depth", $"{o.Depth}", "--heads", $"{o.Heads}", "--tokens", $"{o.Tokens}", "--batch", $"{o.Batch}" })
            start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception) { continue; }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                if (stderr.Contains("No module named 'torch'", StringComparison.Ordinal)) continue;
                Console.WriteLine($"{interpreter} vit_step.py failed: {stderr.Trim()}");
                return null;
            }
            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            if (!quiet)
                Console.WriteLine($"PyTorch side: {interpreter}, torch {json.RootElement.GetProperty("torch").GetString()}, threads {json.RootElement.GetProperty("threads").GetInt32()}");
            return json.RootElement.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
        }
    }
    Console.WriteLine("PyTorch side skipped: no python3 that can import torch (Debian: apt-get install python3-torch).");
    return null;
}

// AvDsl sets OMP_WAIT_POLICY=PASSIVE through libc when the user has not chosen one (Runtime's ThreadSettings);
// .NET's view of the environment does not show that, so the Python child is given the same value explicitly.
static string WaitPolicy() => Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Report(string name, List<double> times) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-32} median {Median(times),8:F1} ms  min {times.Min(),8:F1} ms  max {times.Max(),8:F1} ms  ({times.Count} steps)"));
