using System.Globalization;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// dotnet run -c Release --project tests/DataBenchmarks -- fbank [--clips 48] [--seconds 10] [--repeats 3]
/// dotnet run -c Release --project tests/DataBenchmarks -- loader [--corpus data/demo-corpus] [--steps 40] [--batch 12]
/// dotnet run -c Release --project tests/DataBenchmarks -- decode [--clips 16] [--seconds 10] [--rounds 3]
/// dotnet run -c Release --project tests/DataBenchmarks -- av-loader [--corpus data/demo-corpus] [--steps 60]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length == 0 || args[0] is not ("fbank" or "loader" or "decode" or "av-loader"))
        {
            Console.Error.WriteLine("usage: DataBenchmarks fbank [--clips N] [--seconds S] [--repeats R] | loader [--corpus DIR] [--steps N] [--batch B] | decode [--clips N] [--seconds S] [--rounds R] | av-loader [--corpus DIR] [--steps N]");
            return 2;
        }
        int Int(string name, int fallback) => Option(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return args[0] switch
        {
            "fbank" => FbankBenchmark.Run(Int("--clips", 48), Int("--seconds", 10), Int("--repeats", 3)),
            "av-loader" => AvLoaderBenchmark.Run(Option(args, "--corpus") ?? "data/demo-corpus", Int("--steps", 60)),
            "decode" => DecodeBenchmark.Run(Int("--clips", 16), Int("--seconds", 10), Int("--rounds", 3)),
            _ => LoaderBenchmark.Run(Option(args, "--corpus") ?? "data/demo-corpus", Int("--steps", 40), Int("--batch", 12)),
        };
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
