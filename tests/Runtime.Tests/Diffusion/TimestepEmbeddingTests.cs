using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>The sinusoid of <see cref="TimestepEmbedding"/> against its closed form, element by element.</summary>
public sealed class TimestepEmbeddingTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(9)]
    public void Sinusoid_is_cos_then_sin_of_t_times_max_period_to_the_minus_k_over_half(int dim)
    {
        using var scope = new TensorScope();
        long[] timesteps = [0, 1, 7, 250, 999];
        var features = TimestepEmbedding.Sinusoid(T.FromArray(timesteps), dim);
        Assert.Equal(new long[] { timesteps.Length, dim }, features.Shape);
        Assert.Equal(DType.Float32, features.DType);
        var values = features.ToArray<float>();
        var half = dim / 2;
        for (var i = 0; i < timesteps.Length; i++)
        {
            for (var k = 0; k < half; k++)
            {
                var phase = timesteps[i] * Math.Pow(10000, -(double)k / half);
                Assert.Equal(Math.Cos(phase), values[i * dim + k], 1e-7);
                Assert.Equal(Math.Sin(phase), values[i * dim + half + k], 1e-7);
            }
            if (dim % 2 == 1)
                Assert.Equal(0f, values[i * dim + dim - 1]);
        }
    }

    [Fact]
    public void Embedding_maps_a_batch_of_timesteps_to_dim_and_refuses_other_shapes()
    {
        using var scope = new TensorScope();
        using var embedding = new TimestepEmbedding(dim: 8);
        Assert.Equal(new long[] { 3, 8 }, embedding.Forward(T.FromArray(new long[] { 0, 5, 999 })).Shape);
        Assert.Equal(new long[] { 8, 256 }, embedding.Fc1.Weight.Shape);
        var error = Assert.Throws<ArgumentException>(() => embedding.Forward(T.Zeros([2, 1], DType.Int64)));
        Assert.Contains("expected timesteps [B]", error.Message);
    }
}
