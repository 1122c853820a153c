using AvDsl.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using AvDsl.Runtime.Torch;
using static AvDsl.Benchmarks.StepTimes;
using T = AvDsl.Runtime.Torch.Torch;

// Side-by-side training steps, AvDsl vs PyTorch eager on the same libtorch, thread count and OMP_WAIT_POLICY (the
// Python child inherits this process's environment; with --same-tuning also AvDsl's OPENBLAS_THREAD_TIMEOUT and malloc
// thresholds, which it otherwise runs without, as a PyTorch user would). The two sides alternate in rounds (AvDsl, PyTorch, AvDsl, ...)
// so that a change in machine load hits both alike.
//   vit (the default): a ViT encoder (dim 192, depth 6, 3 heads, 129 tokens, batch 32), MSE to a random target, AdamW;
//     also times self-attention with libtorch's fused SDPA against the explicit matmul-softmax-matmul.
//   eat: the EAT-tiny step of spec EatTiny's generated code (teacher, 4 masked clones, CNN decoder, UFO loss, backward,
//     clipping, AdamW, EMA) against eat_step.py; --check compares parameter counts and losses of both sides instead.
//   mavil: the MAViL-tiny step of spec MavilTiny's generated code (batch 16 of fbank [256, 128] and video [3, 8, 64, 64],
//     audio and video encoders, fusion, two MAE decoders, second masked views, 2 MSE + 3 InfoNCE terms, backward,
//     clipping, AdamW) against mavil_step.py (steps 5 and warm-up 2 by default: a step takes seconds); the run stops
//     if the two sides' trained parameter counts differ. --check compares parameter counts and loss scale, and
//     `avdsl cost`'s FLOPs with the matrix products PyTorch dispatched (forward within 10%), exiting 1 otherwise.
//   allreduce: the gradient all-reduce of an EatTiny step, 2 processes x 1 thread on loopback Gloo, DataParallel against
//     torch.distributed (allreduce_step.py) on the same buckets.
//   dotnet run -c Release --project tests/Benchmarks -- [vit|eat|mavil|allreduce] [--threads 2] [--steps 10] [--warmup 3] [--rounds 3] [--batch N] [--python /usr/bin/python3] [--check] [--same-tuning]
if (args is ["allreduce-worker", ..])
    return AllReduceBenchmark.Worker(args);
var options = Options.Parse(args);
PythonSide.SameTuning = options.SameTuning;
T.SetNumThreads(options.Threads);
Console.WriteLine($"libtorch {T.Version}, threads {T.GetNumThreads()}, SDPA op {Functional.SdpaOperator}; {PythonSide.TuningDescription}");
if (options.Mode == "allreduce")
    return AllReduceBenchmark.Run(options);
if (options.Mode == "eat")
    return options.Check ? EatBenchmark.Check(options) : EatBenchmark.Run(options);
if (options.Mode == "mavil")
    return options.Check ? MavilBenchmark.Check(options) : MavilBenchmark.Run(options);

Console.WriteLine($"ViT encoder: dim {options.Dim}, depth {options.Depth}, heads {options.Heads}, tokens {options.Tokens}, batch {options.Batch}; " +
                  $"{options.Rounds} alternating rounds of {options.Steps} timed steps per side ({options.Warmup} warm-up steps first)");

var avdsl = new List<double>();
List<double>? python = [];
long avdslFaults, pythonFaults = 0;
using (var bench = new AvDslVit(options))
{
    for (var round = 0; round < options.Rounds; round++)
    {
        avdsl.AddRange(bench.Steps(round == 0 ? options.Warmup : 1, options.Steps));
        if (python is not null && PythonSteps(options, quiet: round > 0) is { } run)
        {
            python.AddRange(run.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()));
            pythonFaults += run.GetProperty("minor_faults").GetInt64();
        }
        else
            python = null;
    }
    avdslFaults = bench.MinorFaults;
}
Report("AvDsl", avdsl);
if (python is not null)
{
    Report("PyTorch eager", python);
    Console.WriteLine($"ratio AvDsl / PyTorch: median step {Median(avdsl) / Median(python):F3}, fastest step {avdsl.Min() / python.Min():F3}");
    Console.WriteLine($"minor page faults per timed step: AvDsl {avdslFaults / avdsl.Count}, PyTorch {pythonFaults / python.Count}");
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

static System.Text.Json.JsonElement? PythonSteps(Options o, bool quiet) =>
    PythonSide.Run(o.Python, "vit_step.py",
        ["--threads", $"{o.Threads}", "--steps", $"{o.Steps}", "--warmup", $"{o.Warmup}", "--dim", $"{o.Dim}", "--depth", $"{o.Depth}",
         "--heads", $"{o.Heads}", "--tokens", $"{o.Tokens}", "--batch", $"{o.Batch}"], quiet);
