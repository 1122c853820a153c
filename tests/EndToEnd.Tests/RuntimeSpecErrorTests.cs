using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>A spec that binds can still fail when it runs; the error names the spec line, not a stack trace.</summary>
public class RuntimeSpecErrorTests
{
    [Fact]
    public void A_failing_component_is_reported_at_its_spec_line()
    {
        // Six encoder layers, twelve averaged: layer_average refuses at the first forward pass.
        var config = EatTinyConfig.Default with { TargetLayerAverage = new() { Top = 12 } };
        var root = Path.Combine(Path.GetTempPath(), "avdsl-spec-error-" + Guid.NewGuid().ToString("N"));
        var cli = new CapturedCli();
        try
        {
            var result = new TrainCommand(cli.Output, cli.Specs).Train(
                EatTinySpec.Plan(config) with { Data = new AvDsl.Runtime.Data.SyntheticSpectrogramsSource() },
                new RunOptions(RunRoot: root, Steps: 1), CancellationToken.None);
            Assert.Equal(ResultKind.Failed, result.Kind);
            Assert.Null(result.Run);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        var text = cli.Error;
        var line = Array.FindIndex(File.ReadAllLines(Repository.Spec("eat-tiny.avml")), l => l.TrimStart().StartsWith("target = layer_average(", StringComparison.Ordinal)) + 1;
        Assert.Contains($"avdsl train: specs/eat-tiny.avml:{line}: layer_average: top is 12 but the transformer has only 6 layers.", text);
        Assert.DoesNotContain("   at ", text);
    }
}
