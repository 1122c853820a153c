using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;
using Xunit;

namespace AvDsl.Runtime.Tests;

public sealed class SyntheticSpectrogramsTests
{
    [Fact]
    public void Batches_have_the_input_shape_unit_scale_and_repeat_per_seed()
    {
        using var scope = new TensorScope();
        var a = new SyntheticSpectrograms("audio", frames: 64, mel: 32, seed: 5).Next(3);
        var b = new SyntheticSpectrograms("audio", frames: 64, mel: 32, seed: 5).Next(3);
        var c = new SyntheticSpectrograms("audio", frames: 64, mel: 32, seed: 6).Next(3);
        Assert.Equal(new long[] { 3, 64, 32 }, a["audio"].Shape);
        Assert.Equal(DType.Float32, a["audio"].DType);
        Assert.Equal(a["audio"].ToArray<float>(), b["audio"].ToArray<float>());
        Assert.NotEqual(a["audio"].ToArray<float>(), c["audio"].ToArray<float>());
        Assert.Equal(0.0, a["audio"].Mean().Item<double>(), 4);
        Assert.Equal(1.0, a["audio"].Var(new long[] { 1, 2 }, unbiased: false).Mean().Item<double>(), 3);
        var error = Assert.Throws<KeyNotFoundException>(() => a["video"]);
        Assert.Contains("audio", error.Message);
    }

    [Fact]
    public void A_loaded_state_dict_continues_the_same_batches()
    {
        var first = new SyntheticSpectrograms("audio", frames: 32, mel: 16, seed: 3);
        using (first.Next(2)) { }
        var saved = first.StateDict();
        Assert.Equal(64, saved["random"].Length);
        using var expected = first.Next(3);

        var resumed = new SyntheticSpectrograms("audio", frames: 32, mel: 16, seed: 99);
        resumed.LoadStateDict(saved);
        using var actual = resumed.Next(3);
        Assert.Equal(expected["audio"].ToArray<float>(), actual["audio"].ToArray<float>());
        Assert.Equal(first.StateDict(), resumed.StateDict());

        Assert.Throws<ArgumentException>(() => resumed.LoadStateDict(new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => resumed.LoadStateDict(new Dictionary<string, string> { ["random"] = new string('0', 64) }));
        Assert.Throws<ArgumentException>(() => resumed.LoadStateDict(new Dictionary<string, string> { ["random"] = "xyz" }));
    }

    [Fact]
    public void Host_random_is_fixed_by_its_seed()
    {
        var a = new HostRandom(1);
        var b = new HostRandom(1);
        var draws = Enumerable.Range(0, 1000).Select(_ => a.NextDouble()).ToList();
        Assert.Equal(draws, Enumerable.Range(0, 1000).Select(_ => b.NextDouble()));
        Assert.InRange(draws.Average(), 0.45, 0.55);
        Assert.All(draws, d => Assert.InRange(d, 0.0, 1.0));
    }
}
