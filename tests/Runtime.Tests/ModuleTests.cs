using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class ModuleTests
{
    private sealed class Block : Module
    {
        public Linear Qkv { get; } = new(4, 12);
        private readonly LayerNorm _norm = new(4);

        public Tensor Forward(Tensor x) => Qkv.Forward(_norm.Forward(x));
    }

    private sealed class Net : Module
    {
        public Parameter ClsToken { get; } = Parameter.Zeros(1, 1, 4);
        public ModuleList<Block> Blocks { get; } = new([new Block(), new Block()]);
        private readonly Linear headProj = new(4, 2);
        public ModuleBuffer Pos { get; } = ModuleBuffer.FromArray(new float[4], 1, 4);
        public List<Linear> Extras = [new Linear(2, 2, bias: false)];
        public int Width = 3;
        public Linear? Absent { get; }

        public Linear Head => headProj;
    }

    [Fact]
    public void State_dict_keys_are_snake_case_member_paths_in_pytorch_order()
    {
        using var net = new Net();
        Assert.Equal(
        [
            "cls_token",
            "pos",
            "blocks.0.qkv.weight", "blocks.0.qkv.bias", "blocks.0.norm.weight", "blocks.0.norm.bias",
            "blocks.1.qkv.weight", "blocks.1.qkv.bias", "blocks.1.norm.weight", "blocks.1.norm.bias",
            "head_proj.weight", "head_proj.bias",
            "extras.0.weight",
        ], net.StateDict().Keys);
        Assert.Equal(12, net.NamedParameters().Count());
        Assert.Equal(["pos"], net.NamedBuffers().Select(b => b.Key));
        Assert.Equal(["blocks", "head_proj", "extras.0"], net.NamedChildren().Select(c => c.Key));
        Assert.Equal(4 + 2 * (4 * 12 + 12 + 4 + 4) + (4 * 2 + 2) + 4, net.ParameterCount);
    }

    [Fact]
    public void A_frozen_module_takes_no_gradient_and_stays_in_evaluation_mode_when_its_holder_trains()
    {
        using var net = new Net();
        net.Blocks[1].Freeze();

        net.Train();

        Assert.True(net.Blocks[0].Training);
        Assert.All(net.Blocks[1].Modules(), m => Assert.False(m.Training));
        Assert.All(net.Blocks[1].Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.All(net.Blocks[0].Parameters(), p => Assert.True(p.RequiresGrad));
        net.Eval();
        net.Train();
        Assert.False(net.Blocks[1].Training);
    }

    [Fact]
    public void Component_state_dict_keys_follow_timm_names()
    {
        using var transformer = new Transformer(dim: 8, depth: 2, heads: 2);
        var keys = transformer.StateDict().Keys.ToList();
        Assert.Equal("blocks.0.norm1.weight", keys[0]);
        Assert.Contains("blocks.1.attn.qkv.weight", keys);
        Assert.Contains("blocks.1.attn.proj.bias", keys);
        Assert.Contains("blocks.0.mlp.fc1.weight", keys);
        Assert.Contains("blocks.0.mlp.fc2.bias", keys);
        Assert.Equal("norm.bias", keys[^1]);

        using var decoder = new MaeDecoder(inputs: 8, dim: 8, depth: 1, heads: 2, outputs: 4, grid: [2, 2]);
        Assert.Equal(["mask_token", "embed.weight", "embed.bias", "pos.embedding"], decoder.StateDict().Keys.Take(4));
        Assert.Contains("transformer.blocks.0.attn.qkv.weight", decoder.StateDict().Keys);
        Assert.Equal(["mask_token", "embed.weight", "embed.bias"], decoder.NamedParameters().Take(3).Select(p => p.Key));
    }

    [Fact]
    public void Load_state_dict_copies_values_between_models()
    {
        T.ManualSeed(1);
        using var a = new Net();
        T.ManualSeed(2);
        using var b = new Net();
        Assert.NotEqual(a.Head.Weight.ToArray<float>(), b.Head.Weight.ToArray<float>());
        var result = b.LoadStateDict(a.StateDict());
        Assert.Empty(result.MissingKeys);
        Assert.Equal(a.Head.Weight.ToArray<float>(), b.Head.Weight.ToArray<float>());
        Assert.True(b.Head.Weight.RequiresGrad);
    }

    [Fact]
    public void Strict_load_names_every_missing_unexpected_and_misshaped_key()
    {
        using var net = new Net();
        using var scope = new TensorScope();
        var source = new Dictionary<string, Tensor>(net.StateDict());
        source.Remove("blocks.1.norm.bias");
        source["blocks.9.qkv.weight"] = T.Zeros(1);
        source["head_proj.weight"] = T.Zeros(3, 4);

        var error = Assert.Throws<StateDictMismatchException>(() => net.LoadStateDict(source));
        Assert.Equal(["blocks.1.norm.bias"], error.MissingKeys);
        Assert.Equal(["blocks.9.qkv.weight"], error.UnexpectedKeys);
        Assert.Contains("blocks.1.norm.bias", error.Message);
        Assert.Contains("blocks.9.qkv.weight", error.Message);
        Assert.Contains("head_proj.weight: checkpoint Float32[3, 4] vs model Float32[2, 4]", error.Message);

        // Non-strict tolerates missing/unexpected keys but never a shape mismatch.
        source["head_proj.weight"] = T.Zeros(2, 4);
        var result = net.LoadStateDict(source, strict: false);
        Assert.Equal(["blocks.1.norm.bias"], result.MissingKeys);
        Assert.Equal(["blocks.9.qkv.weight"], result.UnexpectedKeys);
        Assert.Equal(new float[8], net.Head.Weight.ToArray<float>());
    }

    [Fact]
    public void Train_and_eval_reach_every_descendant()
    {
        using var net = new Net();
        net.Eval();
        Assert.All(net.Modules(), m => Assert.False(m.Training));
        net.Train();
        Assert.All(net.Modules(), m => Assert.True(m.Training));
    }

    [Fact]
    public void To_converts_parameters_in_place()
    {
        using var net = new Net();
        var weight = net.Head.Weight;
        net.To(DType.Float64);
        Assert.Same(weight, net.Head.Weight);
        Assert.Equal(DType.Float64, weight.DType);
        Assert.True(weight.RequiresGrad);
        Assert.Equal(DType.Float64, net.Pos.DType);
    }

    [Theory]
    [InlineData("QkvProj", "qkv_proj")]
    [InlineData("_norm", "norm")]
    [InlineData("dropPath", "drop_path")]
    [InlineData("Fc1", "fc1")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("PatchEmbed2d", "patch_embed2d")]
    [InlineData("maskToken", "mask_token")]
    public void Snake_case(string name, string expected) => Assert.Equal(expected, SnakeCase.From(name));

    [Fact]
    public void Members_that_collide_after_snake_casing_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Clash().StateDict());
        Assert.Contains("'norm'", error.Message);
    }

    private sealed class Clash : Module
    {
        private readonly LayerNorm _norm = new(2);
        public LayerNorm Norm => _norm;
        public LayerNorm norm = new(2);
    }
}
