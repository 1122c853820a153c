using System.Text.Json;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class CostCommandTests
{
    private static string Cli => Path.Combine(Repository.Root, "examples", "avdsl", "bin", ProcessRunner.Configuration, "net10.0", "avdsl.dll");

    [Fact]
    public void The_table_has_a_row_per_spec()
    {
        var (exit, output) = ProcessRunner.Run(Repository.Root, "dotnet", null, Cli, "cost", "TinyMae", "TinyMaeDeep");

        Assert.True(exit == 0, output);
        var rows = output.Split('\n').Where(l => l.StartsWith("│ ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count); // the header and two specs
        Assert.Contains("GFLOP fwd+bwd", rows[0]);
        Assert.Contains("TinyMae ", rows[1]);
        Assert.Contains("TinyMaeDeep", rows[2]);
    }

    [Fact]
    public void A_file_of_sweeps_costs_every_variant_and_json_is_machine_readable()
    {
        var (exit, output) = ProcessRunner.Run(Repository.Root, "dotnet", null, Cli, "cost", Repository.Spec("tiny-mae-ablations.avml"), "--json");

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(output);
        var specs = json.RootElement.EnumerateArray().ToList();
        Assert.Contains(specs, s => s.GetProperty("spec").GetString() == "MaskRatio_ViewRatio0p9_EncoderDepth1");
        foreach (var spec in specs)
        {
            Assert.True(spec.GetProperty("trainingFlops").GetInt64() > 2 * spec.GetProperty("forwardFlops").GetInt64());
            Assert.True(spec.GetProperty("activationBytes").GetInt64() > 0);
        }
        // Fewer visible patches, fewer FLOPs.
        long Flops(string name) => specs.Single(s => s.GetProperty("spec").GetString() == name).GetProperty("trainingFlops").GetInt64();
        Assert.True(Flops("MaskRatio_ViewRatio0p9_EncoderDepth2") < Flops("MaskRatio_ViewRatio0p5_EncoderDepth2"));
    }

    [Fact]
    public void A_spec_with_a_pretrained_teacher_is_costed_without_the_teacher_s_run()
    {
        // MavilTinyStage2's teacher run, runs/mavil-tiny, is not in a fresh folder.
        using var temp = new TempFolder();
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "cost", "MavilTinyStage2", "MavilTiny", "--json");

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(output);
        var (stage2, stage1) = (json.RootElement[0], json.RootElement[1]);
        // The teacher's copies are frozen and run without gradients: the encoders and fusion of stage 1, on whole clips.
        Assert.True(stage2.GetProperty("frozenParameters").GetInt64() > 4_000_000, output);
        Assert.Equal(0, stage1.GetProperty("frozenParameters").GetInt64());
        Assert.True(stage2.GetProperty("noGradFlops").GetInt64() > stage1.GetProperty("forwardFlops").GetInt64(), output);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "runs")));
    }

    [Fact]
    public void An_unknown_spec_fails_with_the_list_of_compiled_specs()
    {
        var (exit, output) = ProcessRunner.Run(Repository.Root, "dotnet", null, Cli, "cost", "NoSuchSpec");

        Assert.Equal(1, exit);
        Assert.Contains("no spec file or compiled spec named `NoSuchSpec`", output);
    }
}
