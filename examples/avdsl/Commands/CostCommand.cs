using System.CommandLine;
using System.Text.Json;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl cost &lt;spec&gt;... [--json] [--measure N]</c>: parameters, FLOPs per training step and activation memory
/// of each spec, worked out from one forward pass before any training (see <see cref="StepCost"/>), side by side.
/// </summary>
public sealed class CostCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly SpecResolver resolver;
    private readonly Argument<string[]> specs = new("spec")
    {
        Description = "Spec names or spec files (every spec a file holds is costed).",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string[]> set = TrainCommand.SetOption();
    private readonly Option<bool> json = new("--json") { Description = "Print one JSON array instead of a table." };
    private readonly Option<int?> measure = new("--measure")
    {
        Description = "Also train each spec this many steps (at least 2, in a temporary directory) and show the measured median step time and peak memory growth next to the prediction.",
    };

    public CostCommand(CommandOutput output, SpecResolver resolver)
    {
        this.output = output;
        this.resolver = resolver;
        Syntax = new Command("cost", "Parameters, FLOPs per training step (forward + backward) and activation memory of specs, side by side.")
        {
            specs, json, measure, set,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) =>
        Run(new CostOptions(parsed.GetValue(specs)!, parsed.GetValue(json), parsed.GetValue(measure), parsed.GetValue(set)));

    public CommandResult Run(CostOptions options)
    {
        if (options.MeasureSteps is < 2)
        {
            output.Error.WriteLine("avdsl cost: --measure needs at least 2 steps (the first is a warm-up)");
            return CommandResult.UsageError;
        }
        var overrides = SettingOverride.ParseAll(options.Set, "avdsl cost", output.Error);
        if (overrides is null) return CommandResult.UsageError;
        var compiled = new List<CompiledSpec>();
        foreach (var reference in options.Specs)
        {
            var found = resolver.ResolveAll(reference);
            if (found.Count == 0) return CommandResult.Failed;
            foreach (var spec in found.Where(s => !compiled.Contains(s)))
            {
                if (resolver.WithOverrides(spec, overrides, "avdsl cost") is not { } changed) return CommandResult.Failed;
                compiled.Add(changed);
            }
        }

        var rows = new List<CostRow>();
        var failed = false;
        foreach (var spec in compiled)
        {
            try
            {
                var plan = spec.Plan();
                var estimate = StepCost.Estimate(plan);
                var run = StepCost.EstimateRun(plan);
                var measured = options.MeasureSteps is { } steps ? StepMeasurement.Of(plan, steps) : null;
                rows.Add(new CostRow(estimate, run, measured));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or TorchException)
            {
                output.Error.WriteLine($"avdsl cost: {e.Message}");
                failed = true;
            }
        }

        if (options.Json)
            output.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => r.ToJson()), new JsonSerializerOptions { WriteIndented = true }));
        else if (rows.Count > 0)
            CostTable.Write(rows, output.Out);
        return failed ? CommandResult.Failed : CommandResult.Ok;
    }
}
