using System.Text.Json;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>--set path=value</c> binds as the same line in the spec would, and the run records it.</summary>
[Collection(nameof(GlobalRandomness))]
public class SetOverrideTests
{
    [Fact]
    public void A_misspelled_path_gets_the_near_miss_and_a_wrong_type_says_which_before_anything_is_written()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--steps", "2", "--runs", temp.Path,
            "--set", "encoder.dpeth=4", "--set", "train.batch=abc");
        Assert.NotEqual(0, exit);
        Assert.Contains("--set encoder.dpeth=4: `transformer` has no argument `dpeth`; did you mean `depth`?", error);
        Assert.Contains("--set train.batch=abc: `batch` of `train` must be a whole number, found `abc`", error);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Not_a_path_equals_value_a_path_set_twice_and_set_on_a_resume_are_refused_in_one_sentence()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--runs", temp.Path, "--set", "encoder.depth");
        Assert.NotEqual(0, exit);
        Assert.Contains("--set encoder.depth: expected path=value", error);
        (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--runs", temp.Path, "--set", "encoder.depth=2", "--set", "encoder.depth=3");
        Assert.NotEqual(0, exit);
        Assert.Contains("`encoder.depth` is already set by --set encoder.depth=2; keep one", error);
        (exit, _, error) = CapturedCli.Run("train", "--resume", temp.Path, "--set", "encoder.depth=2");
        Assert.NotEqual(0, exit);
        Assert.Contains("leave out --set, or start a new run", error);
    }

    [Fact]
    public void Overrides_change_the_trained_spec_and_are_recorded_in_the_run_snapshot()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--steps", "2", "--runs", temp.Path,
            "--set", "encoder.depth=1", "--set", "view.ratio=0.6");
        Assert.True(exit == 0, error);
        var run = Directory.GetDirectories(temp.Path).Single();
        var spec = File.ReadAllText(Path.Combine(run, Trainer.SpecFileName));
        Assert.Contains("random_mask(tokens, ratio: 0.6)", spec);
        Assert.Contains("depth: 1, heads: 4", spec);

        var snapshot = RunSnapshot.Read(run)!;
        Assert.Equal(["encoder.depth=1", "view.ratio=0.6"], snapshot.Overrides);
        Assert.Equal("TinyMae", snapshot.Spec);
        Assert.Equal(2, snapshot.Steps);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(spec))), snapshot.SpecHash);
        Assert.Equal(AvDsl.Runtime.Torch.Torch.Version, snapshot.LibtorchVersion);
        Assert.Equal(Environment.MachineName, snapshot.Host);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunSnapshot.FileName)));
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("avdsl_version").ValueKind);
    }

    [Fact]
    public void Cost_applies_the_overrides_to_the_spec_it_costs()
    {
        var (exit, plain, error) = CapturedCli.Run("cost", "TinyMae", "--json");
        Assert.True(exit == 0, error);
        (exit, var deeper, error) = CapturedCli.Run("cost", "TinyMae", "--json", "--set", "encoder.depth=4");
        Assert.True(exit == 0, error);
        long Parameters(string text) => JsonDocument.Parse(text).RootElement[0].GetProperty("trainableParameters").GetInt64();
        // Two more pre-norm blocks of width 64 (TinyMae has 2), each: two layer norms (2 · 128), qkv (64 · 192 + 192),
        // the projection (64 · 64 + 64) and a 4x MLP (64 · 256 + 256 + 256 · 64 + 64): 49 984 parameters.
        Assert.Equal(2 * 49_984, Parameters(deeper) - Parameters(plain));
    }
}
