using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.Runtime.Tests;

public sealed class EvaluationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-eval-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // ---- linear probe ---------------------------------------------------------------------------------

    [Fact]
    public void The_linear_probe_separates_separable_features()
    {
        var train = Blobs(count: 160, classes: 4, dimension: 12, spread: 0.3, seed: 1);
        var test = Blobs(count: 80, classes: 4, dimension: 12, spread: 0.3, seed: 2);

        var result = LinearProbe.Run(train, test, classes: 4);

        output.WriteLine(FormattableString.Invariant($"accuracy {result.Accuracy:P1}, train {result.TrainAccuracy:P1}, loss {result.TrainLosses[0]:F3} -> {result.TrainLosses[^1]:F3}"));
        Assert.True(result.Accuracy >= 0.99, $"accuracy {result.Accuracy}");
        Assert.Equal(1.0, result.TrainAccuracy);
        Assert.Equal(LinearProbeOptions.DefaultEpochs, result.TrainLosses.Count);
        Assert.True(result.TrainLosses[^1] < 0.1 * result.TrainLosses[0]);
    }

    [Fact]
    public void The_linear_probe_is_at_chance_on_random_labels()
    {
        var train = Noise(count: 200, classes: 4, dimension: 12, seed: 3);
        var test = Noise(count: 400, classes: 4, dimension: 12, seed: 4);

        var result = LinearProbe.Run(train, test, classes: 4);

        output.WriteLine(FormattableString.Invariant($"accuracy {result.Accuracy:P1} (chance 25%), train {result.TrainAccuracy:P1}"));
        Assert.InRange(result.Accuracy, 0.15, 0.35);
    }

    [Fact]
    public void The_linear_probe_standardises_with_training_statistics()
    {
        // Separable only after centring: every value sits near 1000 and the classes differ by ±0.5 in one dimension.
        var train = Shifted(Blobs(count: 80, classes: 2, dimension: 4, spread: 0.05, seed: 5), 1000f, 0.5f);
        var test = Shifted(Blobs(count: 40, classes: 2, dimension: 4, spread: 0.05, seed: 6), 1000f, 0.5f);

        var result = LinearProbe.Run(train, test, classes: 2, new LinearProbeOptions(Epochs: 100));

        Assert.Equal(1.0, result.Accuracy);
    }

    [Fact]
    public void The_linear_probe_repeats_exactly()
    {
        var train = Blobs(count: 60, classes: 3, dimension: 8, spread: 1.0, seed: 7);
        var test = Blobs(count: 30, classes: 3, dimension: 8, spread: 1.0, seed: 8);

        var first = LinearProbe.Run(train, test, classes: 3, new LinearProbeOptions(Epochs: 50));
        var second = LinearProbe.Run(train, test, classes: 3, new LinearProbeOptions(Epochs: 50));

        Assert.Equal(first.Accuracy, second.Accuracy);
        Assert.Equal(first.TrainLosses, second.TrainLosses);
    }

    // ---- labelled clips and embeddings -----------------------------------------------------------------

    [Fact]
    public void Labelled_clips_keep_manifest_order_and_count_bad_media()
    {
        var entries = Enumerable.Range(0, 10).Select(i => Entry($"clip{i}", i % 3 == 0 ? "c0" : "c1")).ToList();
        var features = new ToneFeatures(bad: ["clip4", "clip7"]);

        var clips = LabelledClips.Load(entries, [features], ["c0", "c1"], workers: 3);

        Assert.Equal(8, clips.Count);
        Assert.Equal(entries.Where(e => e.RelativePath is not ("clip4" or "clip7")).Select(e => e.RelativePath), clips.Entries.Select(e => e.RelativePath));
        Assert.Equal(clips.Entries.Select(e => e.Label == "c0" ? 0L : 1L), clips.Labels);
        Assert.Equal(["clip4", "clip7"], clips.BadInputs.Select(b => Path.GetFileName(b.Path)).Order());
        Assert.All(clips.BadInputs, b => Assert.Equal(BadInputReason.Corrupt, b.Reason));
        var report = SplitReport.Of("train", clips);
        Assert.Equal((10, 8, 2), (report.Listed, report.Used, report.Bad));
        Assert.Equal(2, report.BadByReason["corrupt"]);

        // Batches follow the given indices.
        using var scope = new TensorScope();
        using var batch = clips.Batch([2, 0]);
        Assert.Equal([2, ToneFeatures.Frames, ToneFeatures.Bins], batch["audio"].Shape);
        Assert.Equal(features.Prepare(features.Extract(clips.Entries[2], default)), batch["audio"][0].Contiguous().ToArray<float>());
    }

    [Fact]
    public void Labels_outside_the_class_list_are_refused_with_the_manifest_line()
    {
        var error = Assert.Throws<ManifestException>(() => LabelledClips.Load([Entry("x", "c")], [new ToneFeatures()], ["a", "b"]));
        Assert.Contains("label 'c' is not one of the task's classes (a, b)", error.Message);
    }

    [Fact]
    public void Embeddings_come_back_in_order_from_evaluation_mode_without_gradients()
    {
        var clips = ToneClips(count: 20, seed: 9);
        Torch.Torch.ManualSeed(1);
        using var model = new MeanPoolEncoder();
        model.Train();
        var sawGrad = false;
        var sawTraining = false;
        var embeddings = ClipEmbedder.Embed(model, (m, b) =>
        {
            sawGrad |= Torch.Torch.IsGradEnabled;
            sawTraining |= m.Training;
            return MeanPoolEncoder.Embed(m, b);
        }, clips, batchSize: 6);

        Assert.False(sawGrad);
        Assert.False(sawTraining);
        Assert.Equal((20, MeanPoolEncoder.Width), (embeddings.Count, embeddings.Dimension));
        using var scope = new TensorScope();
        using var noGrad = Torch.Torch.NoGrad();
        using var one = clips.Batch([13]);
        var expected = MeanPoolEncoder.Embed(model, one).ToArray<float>();
        var actual = embeddings.Values.AsSpan(13 * MeanPoolEncoder.Width, MeanPoolEncoder.Width).ToArray();
        for (var d = 0; d < MeanPoolEncoder.Width; d++)
            Assert.Equal(expected[d], actual[d], 5); // batch 1 vs batch 6 may round differently in the matmul
    }

    // ---- fine-tuning ---------------------------------------------------------------------------------

    [Fact]
    public void Fine_tuning_reduces_the_training_loss_and_learns_the_task()
    {
        var train = ToneClips(count: 48, seed: 10);
        var test = ToneClips(count: 24, seed: 11);
        Torch.Torch.ManualSeed(2);
        using var model = new MeanPoolEncoder();

        var result = FineTuning.Run(model, MeanPoolEncoder.Embed, train, test, ToneFeatures.Classes, seed: 3,
            new FineTuneOptions(Epochs: 8, LearningRate: 1e-2, BatchSize: 8));

        output.WriteLine(string.Join(" ", result.TrainLosses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture))) +
            FormattableString.Invariant($"; accuracy {result.Accuracy:P1}"));
        Assert.Equal(8, result.TrainLosses.Count);
        Assert.Equal(6 * 8, result.Steps);
        Assert.True(result.TrainLosses[^1] < 0.5 * result.TrainLosses[0], $"loss {result.TrainLosses[0]} -> {result.TrainLosses[^1]}");
        Assert.True(result.Accuracy >= 0.9, $"accuracy {result.Accuracy}");
    }

    [Fact]
    public void Fine_tuning_repeats_exactly_with_a_seed_and_shuffles_differently_with_another()
    {
        var train = ToneClips(count: 24, seed: 12);
        var test = ToneClips(count: 12, seed: 13);
        ClassifierResult Run(long seed)
        {
            Torch.Torch.ManualSeed(4);
            using var model = new MeanPoolEncoder();
            return FineTuning.Run(model, MeanPoolEncoder.Embed, train, test, ToneFeatures.Classes, seed, new FineTuneOptions(Epochs: 2, LearningRate: 1e-2));
        }

        var first = Run(1);
        var again = Run(1);
        var other = Run(2);

        Assert.Equal(first.TrainLosses, again.TrainLosses);
        Assert.Equal(first.Accuracy, again.Accuracy);
        Assert.NotEqual(first.TrainLosses, other.TrainLosses);
    }

    [Fact]
    public void Layer_decay_applies_to_encoders_with_blocks_only()
    {
        using var plain = new MeanPoolEncoder();
        Assert.Null(FineTuning.LayerDecayFor(plain, 0.65));
        using var transformer = new Transformer(dim: 8, depth: 3, heads: 2);
        var decay = FineTuning.LayerDecayFor(transformer, 0.65);
        Assert.Equal(3, decay!.Layers);
        Assert.Equal(1.0, decay.Scale(FineTuning.HeadPrefix + "weight"));
        Assert.Null(FineTuning.LayerDecayFor(transformer, 1.0));
    }

    // ---- a whole task, as the CLI runs it --------------------------------------------------------------

    [Fact]
    public void A_task_evaluation_reports_accuracy_clips_classes_and_bad_media_and_repeats()
    {
        var manifest = WriteToneManifest(train: 40, test: 20, badTrain: 2, badTest: 1);
        var plan = PlanWith(new ToneFeatures());
        var request = new EvaluationRequest("tones", manifest, EvaluationProbe.Linear, Checkpoint: null, Seed: 5, Epochs: 100);

        var report = TaskEvaluation.Run(plan, request);
        var again = TaskEvaluation.Run(plan, request);

        output.WriteLine(report.ToJson());
        Assert.Equal(("ToneEncoder", "tones", "linear", "random"), (report.Spec, report.Task, report.Probe, report.Init));
        Assert.Equal((40, 20), (report.TrainClips, report.TestClips));
        Assert.Equal(["c0", "c1", "c2"], report.Classes);
        Assert.Equal((5L, 100, MeanPoolEncoder.Width), (report.Seed, report.Epochs, report.EmbeddingDim));
        Assert.Equal([("train", 42, 2), ("test", 21, 1)], report.Splits.Select(s => (s.Split, s.Listed, s.Bad)));
        Assert.Equal(2, report.Splits[0].BadByReason["empty"]);
        Assert.True(report.Accuracy >= 0.9, $"accuracy {report.Accuracy}");
        Assert.Equal(report.Accuracy, again.Accuracy);
        Assert.Equal(report.TrainLosses, again.TrainLosses);
        Assert.Contains("\"accuracy\": ", report.ToJson());
        Assert.Contains("\"bad_by_reason\": {", report.ToJson());
    }

    [Fact]
    public void A_task_evaluation_loads_the_checkpoint_and_differs_from_the_random_baseline()
    {
        var manifest = WriteToneManifest(train: 30, test: 15);
        var plan = PlanWith(new ToneFeatures());
        var checkpoint = Path.Combine(_folder, "checkpoint.safetensors");
        Torch.Torch.ManualSeed(99);
        using (var trained = new MeanPoolEncoder())
            Checkpoint.Write(checkpoint, trained, optimizer: null, step: 1, "ToneEncoder", "spec ToneEncoder {}", seed: 99);

        var fromCheckpoint = TaskEvaluation.Run(plan, new EvaluationRequest("tones", manifest, EvaluationProbe.FineTune, checkpoint, Seed: 1, Epochs: 2));
        var random = TaskEvaluation.Run(plan, new EvaluationRequest("tones", manifest, EvaluationProbe.FineTune, null, Seed: 1, Epochs: 2));

        Assert.Equal("checkpoint", fromCheckpoint.Init);
        Assert.Equal(Path.GetFullPath(checkpoint), fromCheckpoint.Checkpoint);
        Assert.Equal("random", random.Init);
        Assert.Null(random.Checkpoint);
        Assert.Equal(FineTuneOptions.DefaultLearningRate, fromCheckpoint.LearningRate);
        Assert.NotEqual(fromCheckpoint.TrainLosses, random.TrainLosses);
    }

    [Fact]
    public void A_plan_without_an_embedding_or_a_missing_split_is_refused_with_a_sentence()
    {
        var manifest = WriteToneManifest(train: 4, test: 2);
        var noEmbed = PlanWith(new ToneFeatures()) with { Embeddings = [] };
        var error = Assert.Throws<ArgumentException>(() => TaskEvaluation.Run(noEmbed, new EvaluationRequest("tones", manifest, EvaluationProbe.Linear, null)));
        Assert.Contains("spec ToneEncoder has no clip embedding (eval { embed: … })", error.Message);

        var split = Assert.Throws<ManifestException>(() =>
            TaskEvaluation.Run(PlanWith(new ToneFeatures()), new EvaluationRequest("tones", manifest, EvaluationProbe.Linear, null, TestSplit: "eval")));
        Assert.Contains("no clips in split 'eval'; its splits are train, test", split.Message);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /// <summary>Gaussian blobs: class k is centred on 2·e_k (k-th basis vector), with the given spread.</summary>
    private static ClipEmbeddings Blobs(int count, int classes, int dimension, double spread, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dimension];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i % classes;
            for (var d = 0; d < dimension; d++)
                values[i * dimension + d] = (float)((d == labels[i] ? 2.0 : 0.0) + spread * Gaussian(random));
        }
        return new ClipEmbeddings(values, count, dimension, labels);
    }

    private static ClipEmbeddings Noise(int count, int classes, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, count * dimension).Select(_ => (float)Gaussian(random)).ToArray();
        var labels = Enumerable.Range(0, count).Select(_ => (long)random.Next(classes)).ToArray();
        return new ClipEmbeddings(values, count, dimension, labels);
    }

    /// <summary>Moves every value by <paramref name="offset"/> and scales the class-0 signal down to <paramref name="scale"/>.</summary>
    private static ClipEmbeddings Shifted(ClipEmbeddings e, float offset, float scale) =>
        e with { Values = e.Values.Select(v => offset + scale * v).ToArray() };

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    private static ManifestEntry Entry(string name, string label, string split = "train") =>
        new(Path.Combine("/nonexistent", name), name, [label], TimeWindow.Whole, split, 1);

    /// <summary>Clips made in memory (no files): class k has energy in mel bin 2k, plus noise.</summary>
    private static LabelledClips ToneClips(int count, int seed)
    {
        var entries = Enumerable.Range(0, count).Select(i => Entry($"tone{seed}-{i}", $"c{i % ToneFeatures.Classes}")).ToList();
        var features = new ToneFeatures(seed: seed);
        return LabelledClips.Load(entries, [features], Enumerable.Range(0, ToneFeatures.Classes).Select(k => $"c{k}").ToList());
    }

    /// <summary>A manifest of small text files ToneFeatures reads; bad clips are empty files.</summary>
    private string WriteToneManifest(int train, int test, int badTrain = 0, int badTest = 0)
    {
        var rows = new List<(string, string, string)>();
        void Add(string split, int count, bool bad)
        {
            for (var i = 0; i < count; i++)
            {
                var label = $"c{i % ToneFeatures.Classes}";
                var name = $"{split}-{(bad ? "bad" : "ok")}-{i}.txt";
                File.WriteAllText(Path.Combine(_folder, name), bad ? "" : $"{label} {split} {i}");
                rows.Add((name, label, split));
            }
        }
        Add("train", train, bad: false);
        Add("train", badTrain, bad: true);
        Add("test", test, bad: false);
        Add("test", badTest, bad: true);
        var path = Path.Combine(_folder, "manifest.csv");
        Manifest.WriteCsv(path, rows);
        return path;
    }

    private static TrainingPlan PlanWith(IClipFeatures features) => new()
    {
        SpecName = "ToneEncoder",
        ResolvedSpec = "spec ToneEncoder {}",
        CreateModel = () => new MeanPoolEncoder(),
        Data = new UnopenedSource(),
        Optimizer = new OptimizerSettings(Betas: [0.9, 0.999]),
        LearningRate = new WarmupCosineSchedule(1e-3, 1),
        Steps = 1,
        BatchSize = 1,
        Embeddings = [new("embed", [features.Input])],
        Features = [features],
    };

    [Fact]
    public void SpecAugment_zeroes_one_band_of_frames_and_one_of_mel_bins_per_clip_within_the_widths()
    {
        Torch.Torch.ManualSeed(5);
        using var scope = new TensorScope();
        var masked = FineTuning.SpecAugment(Torch.Torch.Ones(6, 50, 20), time: 0.2, frequency: 0.3).ToArray<float>();
        for (var b = 0; b < 6; b++)
        {
            bool Zero(int t, int f) => masked[(b * 50 + t) * 20 + f] == 0f;
            // A frame is in the time band when all its bins are zero; a bin in the frequency band when all its frames are.
            var frames = Enumerable.Range(0, 50).Where(t => Enumerable.Range(0, 20).All(f => Zero(t, f))).ToList();
            var bins = Enumerable.Range(0, 20).Where(f => Enumerable.Range(0, 50).All(t => Zero(t, f))).ToList();
            Assert.True(frames.Count <= 10 && bins.Count <= 6, $"clip {b}: {frames.Count} frames, {bins.Count} bins");
            Assert.True(frames.Count == 0 || frames[^1] - frames[0] == frames.Count - 1, $"clip {b}: frames not one band");
            Assert.True(bins.Count == 0 || bins[^1] - bins[0] == bins.Count - 1, $"clip {b}: bins not one band");
            // Every other cell is untouched.
            for (var t = 0; t < 50; t++)
                for (var f = 0; f < 20; f++)
                    Assert.Equal(frames.Contains(t) || bins.Contains(f) ? 0f : 1f, masked[(b * 50 + t) * 20 + f]);
        }
        Assert.Contains(0f, masked); // some band was drawn
        Assert.All(FineTuning.SpecAugment(Torch.Torch.Ones(2, 5, 4), 0, 0).ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Fine_tuning_turns_drop_path_on_linearly_over_the_blocks_and_gives_the_encoder_its_own_back()
    {
        using var transformer = new Transformer(dim: 8, depth: 3, heads: 2, dropPath: 0.0);
        transformer.SetDropPath(0.3);
        Assert.Equal([0.0, 0.15, 0.3], Enumerable.Range(0, 3).Select(i => Math.Round(transformer.Blocks[i].Drop.Probability, 12)).ToArray());

        var train = ToneClips(count: 12, seed: 20);
        var test = ToneClips(count: 6, seed: 21);
        Torch.Torch.ManualSeed(6);
        using var model = new BlockEncoder();
        var during = new List<double>();
        FineTuning.Run(model, (m, batch) => { during.Add(((BlockEncoder)m).Blocks.Blocks[1].Drop.Probability); return BlockEncoder.Embed(m, batch); },
            train, test, ToneFeatures.Classes, seed: 1, new FineTuneOptions(Epochs: 1, LearningRate: 1e-2, DropPath: 0.2));
        Assert.Contains(0.1, during.Select(p => Math.Round(p, 12)));                         // block 1 of 3 while training
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0.0, model.Blocks.Blocks[i].Drop.Probability)); // and back afterwards
    }

    [Fact]
    public void Mixup_and_the_masks_change_what_fine_tuning_trains_on_and_repeat_with_the_seed()
    {
        var train = ToneClips(count: 24, seed: 22);
        var test = ToneClips(count: 12, seed: 23);
        IReadOnlyList<double> Losses(FineTuneOptions options)
        {
            Torch.Torch.ManualSeed(7);
            using var model = new MeanPoolEncoder();
            return FineTuning.Run(model, MeanPoolEncoder.Embed, train, test, ToneFeatures.Classes, seed: 1, options).TrainLosses;
        }
        var plain = new FineTuneOptions(Epochs: 3, LearningRate: 1e-2, TimeMask: 0, FrequencyMask: 0, Mixup: 0);
        Assert.Equal(Losses(plain), Losses(plain));
        Assert.Equal(Losses(plain with { Mixup = 0.8 }), Losses(plain with { Mixup = 0.8 }));
        Assert.NotEqual(Losses(plain), Losses(plain with { Mixup = 0.8 }));
        Assert.NotEqual(Losses(plain), Losses(plain with { TimeMask = 0.4 }));
    }

    /// <summary>Evaluation opens the task's manifest itself, never the spec's training data.</summary>
    private sealed record UnopenedSource : IDataSource
    {
        public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => throw new NotSupportedException("evaluation opens the task's manifest itself");
    }

    /// <summary>A stand-in encoder: a Linear on mean-pooled fbank frames, then GELU.</summary>
    /// <summary>A stand-in encoder with transformer blocks, for what fine-tuning does to their drop-path.</summary>
    private sealed class BlockEncoder : SpecModel
    {
        public Linear Proj { get; } = new(ToneFeatures.Bins, 8);
        public Transformer Blocks { get; } = new(dim: 8, depth: 3, heads: 2);

        public override LossTerms Loss(Batch batch) => throw new NotSupportedException("evaluation never trains the spec's own loss");

        public override Tensor Embed(Batch batch, string name) => Embed(this, batch);

        public static Tensor Embed(Module model, Batch batch) =>
            ((BlockEncoder)model).Blocks.Forward(((BlockEncoder)model).Proj.Forward(batch["audio"])).Mean(1);   // [B, T, F] → [B, D]
    }

    private sealed class MeanPoolEncoder : SpecModel
    {
        public const int Width = 16;

        public Linear Proj { get; } = new(ToneFeatures.Bins, Width);

        public override LossTerms Loss(Batch batch) => throw new NotSupportedException("evaluation never trains the spec's own loss");

        public override Tensor Embed(Batch batch, string name) => Embed(this, batch);

        public static Tensor Embed(Module model, Batch batch) =>
            ((MeanPoolEncoder)model).Proj.Forward(batch["audio"].Mean(1)).Gelu();   // [B, T, F] → [B, F] → [B, D]
    }

    /// <summary>
    /// Fake fbank: [Frames, Bins] where the class named in the file (or the entry's label, for entries without a
    /// file) lights up bin 2k, plus seeded noise that depends on the file's name. Files named in <c>bad</c> throw.
    /// </summary>
    private sealed class ToneFeatures(IReadOnlyCollection<string>? bad = null, int seed = 0) : IClipFeatures
    {
        public const int Classes = 3;
        public const int Frames = 5;
        public const int Bins = 8;

        public string Input => "audio";
        public string SettingsKey => $"tone-features-{seed}";
        public int[] SampleShape => [Frames, Bins];

        public FeatureArray Extract(ManifestEntry entry, CancellationToken cancel)
        {
            if (bad?.Contains(entry.RelativePath) == true)
                throw new InvalidMediaException(entry.Path, BadInputReason.Corrupt, $"{entry.Path}: not a tone.");
            var label = File.Exists(entry.Path) ? File.ReadAllText(entry.Path).Split(' ')[0] : entry.Label!;
            var k = int.Parse(label[1..], CultureInfo.InvariantCulture);
            var random = new Random(unchecked(seed * 1_000_003 + StableHash(entry.RelativePath)));
            var data = new float[Frames * Bins];
            for (var t = 0; t < Frames; t++)
                for (var f = 0; f < Bins; f++)
                    data[t * Bins + f] = (float)((f == 2 * k ? 1.5 : 0.0) + 0.3 * Gaussian(random));
            return new FeatureArray(data, [Frames, Bins]);
        }

        public float[] Prepare(FeatureArray raw) => raw.Data.ToArray();

        private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c));
    }
}
