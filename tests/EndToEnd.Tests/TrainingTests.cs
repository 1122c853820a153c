using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class TrainingTests
{
    [Fact]
    public void The_compiled_tiny_spec_trains_and_writes_a_complete_run_directory()
    {
        using var temp = new TempFolder();
        var result = Trainer.Run(TinyMaeSpec.Plan(), new RunOptions(RunRoot: temp.Path, Steps: 30));

        Assert.StartsWith(temp.Path, result.RunDirectory);
        Assert.Equal(30, result.Steps.Count);
        var metrics = File.ReadAllLines(Path.Combine(result.RunDirectory, "metrics.jsonl"));
        Assert.Equal(30, metrics.Length);
        using (var first = JsonDocument.Parse(metrics[0]))
        {
            foreach (var key in new[] { "step", "loss", "lr", "step_ms", "data_ms", "recon" }) Assert.True(first.RootElement.TryGetProperty(key, out _), key);
            Assert.Equal(1, first.RootElement.GetProperty("step").GetInt64());
        }
        Assert.Equal(TinyMaeSpec.ResolvedSpec, File.ReadAllText(Path.Combine(result.RunDirectory, "spec.avml")));
        Assert.True(File.Exists(result.CheckpointPath));
        using var checkpoint = SafeTensors.Read(result.CheckpointPath);
        Assert.Contains("encoder.blocks.0.attn.qkv.weight", checkpoint.Tensors.Keys);
        Assert.Equal(TinyMaeSpec.ResolvedSpec, checkpoint.Metadata.Values.Single(v => v.StartsWith("spec TinyMae", StringComparison.Ordinal)));
        // Falling loss: the last steps are clearly below the first ones.
        var start = result.Steps.Take(3).Average(s => s.Loss);
        var end = result.Steps.TakeLast(3).Average(s => s.Loss);
        Assert.True(end < 0.85 * start, $"loss went from {start} to {end}");
    }

    [Fact]
    public void The_registry_lists_every_spec_in_specs()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "specs"), "*.avml").Select(f => Path.GetFileName(f)).OrderBy(f => f).ToList();
        Assert.Equal(files, CompiledSpecs.All.Select(s => Path.GetFileName(s.SourcePath)).Distinct().OrderBy(f => f).ToList());
    }

    [Fact]
    public void A_scheduled_argument_moves_at_every_step_of_a_run()
    {
        using var model = new TinyMaeCurriculumModel(TinyMaeCurriculumConfig.Default);
        var ratios = new List<double>();
        for (var step = 0; step < 5; step++)
        {
            model.BeforeStep(step, 5); // what Trainer calls before each step's forward pass
            ratios.Add(model.ViewRandomMask.Ratio);
        }

        // linear(from: 0.5, to: 0.9, over: 0.8): over 4 of the 5 steps, then flat.
        Assert.Equal(new[] { 0.5, 0.6, 0.7, 0.8, 0.9 }, ratios.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void A_bf16_spec_trains_under_autocast()
    {
        using var temp = new TempFolder();
        var plan = TinyMaeBf16Spec.Plan();
        Assert.Equal(Precision.Bf16, plan.Precision);
        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 3));
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0, $"loss {s.Loss}"));
    }

    [Fact]
    public void A_spec_trains_on_real_media_listed_in_a_manifest()
    {
        using var temp = new TempFolder();
        var rows = new List<string> { "path,label,split" };
        for (var i = 0; i < 4; i++)
        {
            var clip = Path.Combine(temp.Path, $"tone{i}.wav");
            var (exit, log) = ProcessRunner.Run(temp.Path, "ffmpeg", null, "-nostdin", "-loglevel", "error", "-f", "lavfi",
                "-i", $"sine=frequency={220 * (i + 1)}:duration=1", "-ar", "16000", "-ac", "1", clip);
            Assert.True(exit == 0, log);
            rows.Add($"tone{i}.wav,tone{i},train");
        }
        // One clip of five is corrupt: skipped and logged below the bad-share limit, fatal above it.
        File.WriteAllText(Path.Combine(temp.Path, "broken.wav"), "RIFF, but not really");
        rows.Add("broken.wav,broken,train");
        var manifest = Path.Combine(temp.Path, "manifest.csv");
        File.WriteAllLines(manifest, rows);

        var config = TinyMaeKeywordsConfig.Default with { Data = new(manifest, "train", MaxBad: 0.5), Train = new() { Batch = 2 } };
        var result = Trainer.Run(TinyMaeKeywordsSpec.Plan(config), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 3));

        Assert.Equal(3, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0, $"loss {s.Loss}"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(temp.Path, ".feature-cache"), "*", SearchOption.AllDirectories));
        var logged = Assert.Single(File.ReadAllLines(Path.Combine(result.RunDirectory, Trainer.BadInputsFileName)));
        Assert.Contains("broken.wav", logged);

        // Counting epochs instead of steps: 5 listed clips, batch 2, 2 epochs = 5 steps.
        var byEpochs = config with { Train = config.Train with { Steps = null, Epochs = 2 } };
        var epochRun = Trainer.Run(TinyMaeKeywordsSpec.Plan(byEpochs), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs")));
        Assert.Equal(5, epochRun.Steps.Count);
        Assert.All(epochRun.Steps, s => Assert.Equal(5, s.TotalSteps));

        var strict = config with { Data = config.Data with { MaxBad = 0.01 } };
        var error = Assert.Throws<BadInputLimitExceededException>(() =>
            Trainer.Run(TinyMaeKeywordsSpec.Plan(strict), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 3)));
        Assert.Contains("broken.wav", error.Message);
    }

    [Fact]
    public void Layer_decay_scales_rates_by_the_depth_of_the_generated_model()
    {
        using var model = new TinyMaeModel(TinyMaeConfig.Default);
        var decay = LayerDecay.For(model, 0.5);

        Assert.Equal(2, decay.Layers); // the encoder's two blocks are the deepest stack
        Assert.Equal(0.125, decay.Scale("patches.proj.weight"));
        Assert.Equal(0.25, decay.Scale("encoder.blocks.0.attn.qkv.weight"));
        Assert.Equal(0.5, decay.Scale("encoder.blocks.1.mlp.fc1.weight"));
        Assert.Equal(1.0, decay.Scale("encoder.norm.weight"));

        using var temp = new TempFolder();
        var plan = TinyMaeSpec.Plan(TinyMaeConfig.Default with { Train = new() { Optimizer = TinyMaeConfig.Default.Train.Optimizer with { LayerDecay = 0.65 } } });
        Assert.Equal(0.65, plan.Optimizer.LayerDecay);
        Assert.Equal(2, Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 2)).Steps.Count);
    }

    [Fact]
    public void A_scheduled_batch_size_changes_the_batches_the_trainer_asks_for()
    {
        using var temp = new TempFolder();
        var plan = TinyMaeGrowingBatchSpec.Plan();
        var sizes = new List<int>();
        var observed = plan with { Data = new Recording(plan.Data, sizes) };
        Trainer.Run(observed, new RunOptions(RunRoot: temp.Path, Steps: 10));

        // step(values: [4, 8, 16], at: [0.3, 0.6]) over 10 steps.
        Assert.Equal(new[] { 4, 4, 4, 8, 8, 8, 16, 16, 16, 16 }, sizes);
    }

    private sealed record Recording(IDataSource Inner, List<int> Sizes) : IDataSource
    {
        public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => new RecordingSource(Inner.Open(inputs, seed, shard), Sizes);
    }

    private sealed class RecordingSource(IBatchSource inner, List<int> sizes) : IBatchSource
    {
        public Batch Next(int batchSize)
        {
            sizes.Add(batchSize);
            return inner.Next(batchSize);
        }

        public int? Count => inner.Count;
        public BadInputLog BadInputs => inner.BadInputs;
        public IReadOnlyDictionary<string, string> StateDict() => inner.StateDict();
        public void LoadStateDict(IReadOnlyDictionary<string, string> state) => inner.LoadStateDict(state);
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Inverse_block_masking_trains_in_place_of_random_masking()
    {
        using var temp = new TempFolder();
        var result = Trainer.Run(TinyMaeBlockMaskSpec.Plan(), new RunOptions(RunRoot: temp.Path, Steps: 3));
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0, $"loss {s.Loss}"));
        Assert.Contains("view = inverse_block_mask(tokens, keep: 0.25, grid: [16, 8], block: 5, adjust: 0.07, clones: 1)", TinyMaeBlockMaskSpec.ResolvedSpec);
    }

    [Fact]
    public void A_config_with_another_dim_scales_the_eat_losses_by_its_own_dim()
    {
        // EAT divides both terms by sqrt(encoder.dim); a variant made with `with` must not keep the spec's 192. The
        // width is the spec's param `dim`, so one property changes every component that follows it.
        var config = EatTinyConfig.Default with { Dim = 96 };
        AvDsl.Runtime.Torch.Torch.ManualSeed(0);
        using var scope = new AvDsl.Runtime.Torch.TensorScope();
        using var model = new EatTinyModel(config);
        var outputs = model.Forward(AvDsl.Runtime.Torch.Torch.Randn([2, 256, 128]));

        var raw = AvDsl.Runtime.Objectives.Losses.Mse(outputs.Pred[outputs.View.Masked], outputs.Frames[outputs.View.Masked], AvDsl.Runtime.Objectives.MseReduction.RowSum).Item<double>();
        var expected = raw / Math.Sqrt(96);
        var frame = outputs.Frame.Item<double>();
        Assert.True(Math.Abs(frame - expected) <= 1e-5 * expected, $"frame {frame}, expected {expected} (= raw / sqrt(96); raw / sqrt(192) would be {raw / Math.Sqrt(192)})");
    }

    [Fact]
    public void Eats_utterance_term_is_the_global_sum_over_the_official_four_gpus()
    {
        // Eat's own spec at a small width: the utterance term is sum over clip-clones of the squared CLS error,
        // divided by sqrt(dim) and by the 4 GPUs fairseq normalises over (eat.avml says why).
        var d = EatConfig.Default;
        var config = d with
        {
            Dim = 32, Encoder = d.Encoder with { Depth = 1, Heads = 2 }, Decoder = d.Decoder with { Layers = 1 },
            TargetLayerAverage = d.TargetLayerAverage with { Top = 1 },
        };
        AvDsl.Runtime.Torch.Torch.ManualSeed(0);
        using var scope = new AvDsl.Runtime.Torch.TensorScope();
        using var model = new EatModel(config);
        var outputs = model.Forward(AvDsl.Runtime.Torch.Torch.Randn([1, 1024, 128]));

        var cls = outputs.Student.Select(1, 0).Contiguous().ToArray<float>();   // [16, 32], the student's CLS per clone
        var clip = outputs.Clip.Contiguous().ToArray<float>();                  // [16, 32], the clip's target per clone
        var sum = cls.Zip(clip, (a, b) => (double)(a - b) * (a - b)).Sum();
        var expected = sum / Math.Sqrt(32) / 4;
        var utterance = outputs.Utterance.Item<double>();
        Assert.True(Math.Abs(utterance - expected) <= 1e-4 * expected, $"utterance {utterance}, by hand {expected}");
    }
}
