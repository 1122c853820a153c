using System.Globalization;

namespace AvDsl.Benchmarks;

/// <summary>The benchmark's command-line options (see the comment at the top of Program.cs).</summary>
/// <param name="Mode">"vit" (the default), "eat", "mavil" or "allreduce", the first argument when given.</param>
/// <param name="Check">eat and mavil modes: compare parameter counts and loss terms of both sides on one input instead of timing (mavil: also the cost model's FLOPs).</param>
/// <param name="SameTuning">Give the PyTorch side the OpenBLAS and malloc settings AvDsl's runtime makes for itself.</param>
internal sealed record Options(string Mode, int Threads, int Steps, int Warmup, int Rounds, int Dim, int Depth, int Heads, int Tokens, int Batch,
    string? Python, bool Check, bool SameTuning)
{
    public static Options Parse(string[] args)
    {
        var mode = args is [var first, ..] && !first.StartsWith('-') ? first : "vit";
        if (mode is not ("vit" or "eat" or "mavil" or "allreduce"))
            throw new ArgumentException($"unknown mode {mode}; the modes are vit, eat, mavil and allreduce (see the comment at the top of Program.cs)");
        var o = new Options(mode, Environment.ProcessorCount, mode == "mavil" ? 5 : 10, mode == "mavil" ? 2 : 3, 3, 192, 6, 3, 129,
            mode switch { "eat" => 8, "mavil" => 16, _ => 32 }, null, false, false);
        for (var i = args is [var m, ..] && m == mode ? 1 : 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--threads" => o with { Threads = Int() },
                "--steps" => o with { Steps = Int() },
                "--warmup" => o with { Warmup = Int() },
                "--rounds" => o with { Rounds = Int() },
                "--dim" => o with { Dim = Int() },
                "--depth" => o with { Depth = Int() },
                "--heads" => o with { Heads = Int() },
                "--tokens" => o with { Tokens = Int() },
                "--batch" => o with { Batch = Int() },
                "--python" => o with { Python = Next() },
                "--check" => o with { Check = true },
                "--same-tuning" => o with { SameTuning = true },
                _ => throw new ArgumentException($"unknown option {args[i]}; see the comment at the top of Program.cs"),
            };
        }
        if (o.Mode != "vit" && (o.Dim, o.Depth, o.Heads, o.Tokens) != (192, 6, 3, 129))
            throw new ArgumentException($"{o.Mode} mode times its spec as written; --dim, --depth, --heads and --tokens apply to the vit mode only");
        return o;
    }
}
