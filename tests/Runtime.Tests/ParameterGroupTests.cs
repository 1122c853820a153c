using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class ParameterGroupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-groups-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Groups_match_whole_prefixes_and_the_last_group_wins()
    {
        var groups = new[] { new ParameterGroup(["encoder"], LearningRateScale: 0.5), new ParameterGroup(["encoder.blocks.1"], Frozen: true) };
        Assert.Equal(0.5, ParameterGroup.Of(groups, "encoder.blocks.0.attn.qkv.weight")!.LearningRateScale);
        Assert.True(ParameterGroup.Of(groups, "encoder.blocks.1.mlp.fc1.weight")!.Frozen);
        Assert.Null(ParameterGroup.Of(groups, "encoder_2.weight"));
        Assert.Null(ParameterGroup.Of(groups, "decoder.proj.weight"));
    }

    [Fact]
    public void A_frozen_component_keeps_its_initial_values_and_a_scaled_one_moves()
    {
        var plan = TinyMae.Plan(steps: 3) with
        {
            ParameterGroups = [new(["patches"], Frozen: true), new(["decoder"], LearningRateScale: 0.0), new(["encoder"], LearningRateScale: 2.0)],
        };
        T.ManualSeed(plan.Seed);
        using var initial = new TinyMae();
        var result = Trainer.Run(plan, new RunOptions(RunRoot: _root));
        using var trained = new TinyMae();
        using (new TensorScope())
            Checkpoint.Restore(result.CheckpointPath, trained);

        using var scope = new TensorScope();
        Assert.Equal(initial.Patches.Proj.Weight.ToArray<float>(), trained.Patches.Proj.Weight.ToArray<float>());
        // A zero learning rate also stops decoupled weight decay (it is scaled by the learning rate).
        Assert.Equal(initial.Decoder.Pred.Weight.ToArray<float>(), trained.Decoder.Pred.Weight.ToArray<float>());
        Assert.NotEqual(initial.Encoder.Blocks[0].Mlp.Fc1.Weight.ToArray<float>(), trained.Encoder.Blocks[0].Mlp.Fc1.Weight.ToArray<float>());
    }

    [Fact]
    public void AdamW_takes_a_weight_decay_per_parameter_but_never_on_biases()
    {
        using var model = new Mlp(4, 8);
        using var optimizer = new AdamW(model, 1e-3, new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: 0.05), weightDecay: key => key.StartsWith("fc1", StringComparison.Ordinal) ? 0.5 : null);
        var decay = optimizer.State.ToDictionary(s => s.Name, s => s.WeightDecay);
        Assert.Equal(0.5, decay["fc1.weight"]);
        Assert.Equal(0.0, decay["fc1.bias"]);
        Assert.Equal(0.05, decay["fc2.weight"]);
    }
}
