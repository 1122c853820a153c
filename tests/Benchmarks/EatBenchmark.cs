using System.Globalization;
using AvDsl.Runtime.Torch;
using static AvDsl.Benchmarks.StepTimes;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The eat mode: spec EatTiny's generated training step (<see cref="AvDslEat"/>) against eat_step.py, in alternating
/// rounds; then each side's step broken into phases, also alternating.
/// </summary>
internal static class EatBenchmark
{
    public static int Run(Options o)
    {
        Console.WriteLine($"EAT-tiny (spec EatTiny): fbank [{o.Batch}, 256, 128] -> 128 patches, dim 192, depth 6, 3 heads, 4 clones, CNN decoder 6 x 192; " +
                          $"{o.Rounds} alternating rounds of {o.Steps} timed steps per side ({o.Warmup} warm-up steps first), PyTorch in one long-running process");
        var avdsl = new List<double>();
        var avdslRounds = new List<double>();
        List<double>? python = [];
        var pythonRounds = new List<double>();
        var avdslPhases = new Dictionary<string, double>();
        var pythonPhases = new Dictionary<string, double>();
        var (avdslPhaseSteps, pythonPhaseSteps) = (0, 0);
        var phaseSteps = Math.Max(1, o.Steps / 2);
        using (var bench = new AvDslEat(o))
        using (var worker = PythonWorker.Start(o.Python, "eat_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}"]))
        {
            if (worker is null)
                python = null;
            else
                Console.WriteLine($"PyTorch side: {worker.Interpreter}, torch {worker.Ready.GetProperty("torch").GetString()}, threads {worker.Ready.GetProperty("threads").GetInt32()}");
            for (var round = 0; round < o.Rounds; round++)
            {
                var warmup = round == 0 ? o.Warmup : 0;
                var times = bench.Steps(warmup, o.Steps);
                avdsl.AddRange(times);
                avdslRounds.Add(Median(times));
                if (worker is not null)
                {
                    // Right after AvDsl's turn, so each round's pair of medians saw about the same machine load.
                    var json = worker.Steps(warmup, o.Steps);
                    var pythonTimes = json.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
                    python!.AddRange(pythonTimes);
                    pythonRounds.Add(Median(pythonTimes));
                    foreach (var phase in json.GetProperty("phases").EnumerateObject())
                        pythonPhases[phase.Name] = pythonPhases.GetValueOrDefault(phase.Name) + phase.Value.GetDouble();
                    pythonPhaseSteps += pythonTimes.Count;
                }
                foreach (var (phase, ms) in bench.Phases(phaseSteps))
                    avdslPhases[phase] = avdslPhases.GetValueOrDefault(phase) + ms;
                avdslPhaseSteps += phaseSteps;
            }
        }

        Report("AvDsl (generated EatTiny)", avdsl);
        Console.WriteLine($"  per-round medians: {Join(avdslRounds)} ms");
        if (python is not null)
        {
            Report("PyTorch eager (eat_step.py)", python);
            Console.WriteLine($"  per-round medians: {Join(pythonRounds)} ms");
            var ratios = avdslRounds.Zip(pythonRounds, (a, p) => a / p).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio AvDsl / PyTorch: median step {Median(avdsl) / Median(python):F3}, fastest step {avdsl.Min() / python.Min():F3}, " +
                $"per round {ratios.Min():F3}–{ratios.Max():F3} (median of the rounds' ratios {Median(ratios):F3})"));
        }

        Console.WriteLine();
        Console.WriteLine($"{"phase (ms per step)",-30} {"AvDsl",9} {"PyTorch",9} {"ratio",7}");
        foreach (var phase in avdslPhases.Keys)
        {
            var a = avdslPhases[phase] / avdslPhaseSteps;
            var line = string.Create(CultureInfo.InvariantCulture, $"{phase,-30} {a,9:F1}");
            if (python is not null && pythonPhases.TryGetValue(phase, out var p))
                line += string.Create(CultureInfo.InvariantCulture, $" {p / pythonPhaseSteps,9:F1} {a / (p / pythonPhaseSteps),7:F2}");
            Console.WriteLine(line);
        }
        var avdslTotal = avdslPhases.Values.Sum() / avdslPhaseSteps;
        var totalLine = string.Create(CultureInfo.InvariantCulture, $"{"total",-30} {avdslTotal,9:F1}");
        if (python is not null)
            totalLine += string.Create(CultureInfo.InvariantCulture, $" {pythonPhases.Values.Sum() / pythonPhaseSteps,9:F1}");
        Console.WriteLine(totalLine);
        Console.WriteLine("(AvDsl's phases come from a separate pass that calls the generated model's components in its Forward's order.)");
        return 0;
    }

    /// <summary>Parameter counts and the two loss terms of both sides on one deterministic input (sin of the element index).</summary>
    public static int Check(Options o)
    {
        long[] shape = [o.Batch, 256, 128];
        using var bench = new AvDslEat(o, s =>
        {
            using var scope = new TensorScope();
            var n = s.Aggregate(1L, (a, b) => a * b);
            return scope.MoveToOuter((T.Arange(0.0, n, 1.0) * 0.37).Sin().Reshape(s));
        });
        var (trained, teacher) = bench.ParameterCounts();
        var (frame, utterance) = bench.Loss();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"AvDsl:   trained parameters {trained,9:N0}, teacher {teacher,9:N0}; loss frame {frame,9:F3}, utterance {utterance,9:F3}"));
        if (PythonSide.Run(o.Python, "eat_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}", "--check"], quiet: false) is not { } json)
            return 1;
        var (pyTrained, pyTeacher) = (json.GetProperty("trained").GetInt64(), json.GetProperty("teacher").GetInt64());
        var (pyFrame, pyUtterance) = (json.GetProperty("frame").GetDouble(), json.GetProperty("utterance").GetDouble());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PyTorch: trained parameters {pyTrained,9:N0}, teacher {pyTeacher,9:N0}; loss frame {pyFrame,9:F3}, utterance {pyUtterance,9:F3}"));
        // Initial weights differ (each side draws its own), so the losses agree in scale, not in value.
        var sameCounts = trained == pyTrained && teacher == pyTeacher;
        bool Close(double a, double b) => a / b is > 0.67 and < 1.5;
        var sameScale = Close(frame, pyFrame) && Close(utterance, pyUtterance);
        Console.WriteLine($"parameter counts {(sameCounts ? "match" : "DIFFER")}; loss terms {(sameScale ? "agree within a factor 1.5" : "DIFFER in scale")}");
        return sameCounts && sameScale ? 0 : 1;
    }

    private static string Join(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
}
