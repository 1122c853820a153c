using System.Globalization;

namespace AvDsl.Benchmarks;

/// <summary>The benchmark's command-line options (see the comment at the top of Program.cs).</summary>
internal sealed record Options(int Threads, int Steps, int Warmup, int Rounds, int Dim, int Depth, int Heads, int Tokens, int Batch, string? Python)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(Environment.ProcessorCount, 10, 3, 3, 192, 6, 3, 129, 32, null);
        for (var i = 0; i < args.Length; i++)
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
                _ => throw new ArgumentException($"unknown option {args[i]}; see the comment at the top of Program.cs"),
            };
        }
        return o;
    }
}
