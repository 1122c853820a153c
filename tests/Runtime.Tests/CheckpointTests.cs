using System.Globalization;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("avdsl-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (Transformer Model, AdamW Optimizer) TrainedTwoSteps()
    {
        T.ManualSeed(41);
        var model = new Transformer(dim: 8, depth: 2, heads: 2);
        var optimizer = new AdamW(model, 1e-2, new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: 0.05));
        for (var step = 0; step < 2; step++)
        {
            using var scope = new TensorScope();
            optimizer.ZeroGrad();
            model.Forward(T.Randn(2, 3, 8)).Square().Mean().Backward();
            optimizer.Step();
        }
        return (model, optimizer);
    }

    [Fact]
    public void Restore_brings_back_weights_moments_step_and_rng_so_training_continues_identically()
    {
        var (model, optimizer) = TrainedTwoSteps();
        using var _ = model;
        using var __ = optimizer;
        var path = Path.Combine(_directory, "a.safetensors");
        Checkpoint.Write(path, model, optimizer, step: 2, "Test", "spec Test {}", seed: 41);
        float[] Continue(Transformer m, AdamW o)
        {
            using var scope = new TensorScope();
            o.ZeroGrad();
            m.Forward(T.Randn(2, 3, 8)).Square().Mean().Backward();
            o.Step();
            return m.Blocks[0].Attn.Qkv.Weight.ToArray<float>();
        }
        var expected = Continue(model, optimizer);

        T.ManualSeed(999); // a different generator state and different initial weights
        using var restored = new Transformer(dim: 8, depth: 2, heads: 2);
        using var restoredOptimizer = new AdamW(restored, 1e-2, new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: 0.05));
        Assert.Equal(2, Checkpoint.Restore(path, restored, restoredOptimizer));
        Assert.Equal(2, restoredOptimizer.StepCount);
        Assert.Equal(expected, Continue(restored, restoredOptimizer));
    }

    [RequiresTorchFact]
    public void PyTorch_reads_our_checkpoint_with_the_same_checksums()
    {
        var (model, optimizer) = TrainedTwoSteps();
        using var _ = model;
        using var __ = optimizer;
        var path = Path.Combine(_directory, "b.safetensors");
        Checkpoint.Write(path, model, optimizer, step: 2, "Test", "spec Test {}", seed: 41);
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "read_checkpoint.py");
        var (code, stdout, stderr) = PythonWithTorch.Run(PythonWithTorch.Interpreter!, [script, path], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"read_checkpoint.py failed ({code}): {stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seen = new Dictionary<string, string[]>();
        foreach (var line in lines.Where(l => l.StartsWith("tensor ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            seen[parts[1]] = parts;
        }
        using var file = SafeTensors.Read(path);
        Assert.Equal(file.Tensors.Count, seen.Count);
        Assert.Contains(Checkpoint.RngStateKey, seen.Keys);
        Assert.Contains("optimizer.blocks.0.attn.qkv.weight.exp_avg", seen.Keys);
        using var scope = new TensorScope();
        foreach (var (name, tensor) in file.Tensors)
        {
            var parts = seen[name];
            Assert.Equal(string.Join("x", tensor.Shape), parts[3] == "scalar" ? "" : parts[3]);
            var values = tensor.ToArray<double>();
            var sum = double.Parse(parts[4], CultureInfo.InvariantCulture);
            var abs = double.Parse(parts[5], CultureInfo.InvariantCulture);
            Assert.Equal(values.Sum(), sum, 1e-9 * Math.Max(1, Math.Abs(sum)));
            Assert.Equal(values.Sum(Math.Abs), abs, 1e-9 * Math.Max(1, abs));
        }
        Assert.Contains("meta step 2", lines);
        Assert.Contains("meta optimizer.step 2", lines);
    }

    [Fact]
    public void A_ranks_own_part_brings_back_its_generator_and_its_data_position_for_that_step_only()
    {
        using var scope = new TensorScope();
        var path = Path.Combine(_directory, "checkpoint-step-3.rank-1.safetensors");
        // A rank's data: its half of a synthetic stream, 3 batches in.
        using var data = new Data.SyntheticSpectrograms("audio", 8, 4, seed: 5, new Data.DataShard(1, 2));
        for (var i = 0; i < 3; i++) data.Next(2).Dispose();
        T.ManualSeed(9);
        T.Rand(4).Dispose();
        Checkpoint.WriteRankState(path, step: 3, data.StateDict());
        var nextDraw = T.Rand(4).ToArray<float>();
        var nextBatch = data.Next(2)["audio"].ToArray<float>();

        T.ManualSeed(123);
        using var resumed = new Data.SyntheticSpectrograms("audio", 8, 4, seed: 5, new Data.DataShard(1, 2));
        Checkpoint.RestoreRankState(path, step: 3, resumed);
        Assert.Equal(nextDraw, T.Rand(4).ToArray<float>());
        Assert.Equal(nextBatch, resumed.Next(2)["audio"].ToArray<float>());

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.RestoreRankState(path, step: 4, data: null));
        Assert.Contains("is not this rank's state at step 4 (its step is 3)", error.Message);
    }
}
