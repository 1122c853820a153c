using System.Globalization;
using static AvDsl.Benchmarks.StepTimes;

namespace AvDsl.Benchmarks;

/// <summary>
/// A generated spec's training step (<see cref="IAvDslStep"/>) against a PyTorch eager script kept running as a
/// <see cref="PythonWorker"/>, in alternating rounds (AvDsl, PyTorch, AvDsl, ...) so that a change in machine load
/// hits both alike; then each side's step broken into phases, also alternating. The eat and mavil modes.
/// </summary>
internal static class SideBySide
{
    /// <returns>0, or 1 when the two sides do not train the same number of parameters.</returns>
    public static int Run(Options o, IAvDslStep bench, string script, IEnumerable<string> scriptArguments, string avdslName, string pythonName)
    {
        var avdsl = new List<double>();
        var avdslRounds = new List<double>();
        List<double>? python = [];
        var pythonRounds = new List<double>();
        var avdslPhases = new Dictionary<string, double>();
        var pythonPhases = new Dictionary<string, double>();
        var (avdslPhaseSteps, pythonPhaseSteps) = (0, 0);
        var phaseSteps = Math.Max(1, o.Steps / 2);
        using (var worker = PythonWorker.Start(o.Python, script, scriptArguments))
        {
            if (worker is null)
                python = null;
            else
            {
                Console.WriteLine($"PyTorch side: {worker.Interpreter}, torch {worker.Ready.GetProperty("torch").GetString()}, threads {worker.Ready.GetProperty("threads").GetInt32()}");
                if (worker.Ready.TryGetProperty("trained", out var trained))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"trained parameters: AvDsl {bench.TrainedParameters:N0}, PyTorch {trained.GetInt64():N0}"));
                    if (trained.GetInt64() != bench.TrainedParameters)
                    {
                        Console.WriteLine("the two sides train different models (parameter counts differ): not timed");
                        return 1;
                    }
                }
            }
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

        Report($"AvDsl ({avdslName})", avdsl);
        Console.WriteLine($"  per-round medians: {Join(avdslRounds)} ms");
        if (python is not null)
        {
            Report($"PyTorch eager ({pythonName})", python);
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

    private static string Join(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
}
