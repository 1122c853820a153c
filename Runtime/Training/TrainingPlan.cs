using AvDsl.Runtime.Data;

namespace AvDsl.Runtime.Training;

/// <summary>Everything <see cref="Trainer.Run"/> needs, as data; generated code builds one per spec from its config.
/// What happens in a step is the model's (<see cref="SpecModel"/>), not the plan's.</summary>
public sealed record TrainingPlan
{
    /// <summary>The spec's name (the run directory is named after it, kebab-cased).</summary>
    public required string SpecName { get; init; }

    /// <summary>The spec text with inheritance and defaults resolved; saved with the run.</summary>
    public required string ResolvedSpec { get; init; }

    /// <summary>For a sweep point, the spec it varies (<c>EatTiny</c> for <c>EatTinySeeds_TrainSeed1</c>); null otherwise. Kept
    /// in checkpoints, so that a pretrained teacher of spec EatTiny accepts a run of any of its sweep points.</summary>
    public string? VariantOf { get; init; }

    /// <summary>Builds the model; called after seeding, so initialisation is reproducible.</summary>
    public required Func<SpecModel> CreateModel { get; init; }

    /// <summary>Where the training examples come from (<c>data { train: … }</c>); in a sequence of tasks, the first stage.</summary>
    public required IDataSource Data { get; init; }

    /// <summary>The named tasks of a sequence of tasks (<c>task speech = manifest(…)</c>), in the order written: every one is
    /// evaluated after every stage. Empty for a spec that trains on one source.</summary>
    public IReadOnlyList<DataTask> Tasks { get; init; } = [];

    /// <summary>The stages trained in turn (<c>train: [speech, notes]</c>), each on its own clips; empty for a spec that trains
    /// on one source. <see cref="Steps"/> and <see cref="Epochs"/> count per stage.</summary>
    public IReadOnlyList<TrainingStage> Stages { get; init; } = [];

    /// <summary>What a stage takes over from the one before.</summary>
    public StageCarry Carry { get; init; } = StageCarry.All;

    /// <summary>How each input is computed from media, in the spec's order; also opens other manifests (evaluation tasks) alike.</summary>
    public required IReadOnlyList<IClipFeatures> Features { get; init; }

    public required OptimizerSettings Optimizer { get; init; }

    /// <summary>The learning rate per step.</summary>
    public required Schedule LearningRate { get; init; }

    /// <summary>Optimizer steps in the run, unless <see cref="Epochs"/> counts passes over the data instead.</summary>
    public long Steps { get; init; }

    /// <summary>When set, the run lasts this many passes over the data (<see cref="Steps"/> is then unused).</summary>
    public long? Epochs { get; init; }

    /// <summary>Samples per step (at step 0 when <see cref="BatchSchedule"/> moves it).</summary>
    public required int BatchSize { get; init; }

    /// <summary>When the batch size moves during training: its value per step, rounded (a <see cref="FlopsBudgetSchedule"/>
    /// is bound to the model's per-clip cost when the run starts).</summary>
    public Schedule? BatchSchedule { get; init; }

    /// <summary>How the learning rate follows a moving batch.</summary>
    public LearningRateScaling LearningRateScaling { get; init; }

    /// <summary>Seeds libtorch's generators and the data.</summary>
    public long Seed { get; init; }

    /// <summary>Global gradient-norm clip, or null for none.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>The spec's device ("cpu", "auto", "cuda", "cuda:N"); <see cref="RunOptions.Device"/> wins.</summary>
    public string Device { get; init; } = "cpu";

    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>What a step whose loss or gradient is NaN or infinite does: stop the run (the default) or skip its update.</summary>
    public NonFinitePolicy NonFinite { get; init; } = NonFinitePolicy.Stop;

    /// <summary>Per-component learning-rate scales, weight decays and frozen components.</summary>
    public IReadOnlyList<ParameterGroup>? ParameterGroups { get; init; }

    /// <summary>The clip embeddings the model gives (<see cref="SpecModel.Embed"/>), in the <c>eval</c> block's order; the
    /// first is what probes read unless told otherwise. Empty without an <c>eval</c> block.</summary>
    public IReadOnlyList<DeclaredEmbedding> Embeddings { get; init; } = [];

    /// <summary>The embeddings <c>eval { retrieval: … }</c> matches, or null.</summary>
    public RetrievalPair? Retrieval { get; init; }

    /// <summary>The spec's <c>eval { finetune: finetune(…) }</c> recipe; null: <see cref="Evaluation.FineTuneOptions"/>'s defaults.</summary>
    public Evaluation.FineTuneOptions? FineTune { get; init; }

    /// <summary>The losses that reconstruct an input from its masked patches (<see cref="SpecModel.Reconstruct"/> gives their
    /// tensors), in the spec's order; empty when none does.</summary>
    public IReadOnlyList<ReconstructionTerm> Reconstructions { get; init; } = [];

    public bool HasEmbedding => Embeddings.Count > 0;

    /// <summary>The embedding called <paramref name="name"/>, or the default (the first) when null; null when there is none such.</summary>
    public DeclaredEmbedding? FindEmbedding(string? name) =>
        name is null ? Embeddings.FirstOrDefault() : Embeddings.FirstOrDefault(e => e.Name == name);

    /// <summary>The inputs' features that <paramref name="embeddings"/> read, in the spec's order.</summary>
    public IReadOnlyList<IClipFeatures> FeaturesOf(params DeclaredEmbedding[] embeddings) =>
        Features.Where(f => embeddings.Any(e => e.Inputs.Contains(f.Input))).ToList();

    /// <summary>The batch source for this plan's data, inputs and seed (a data-parallel rank's shard of it).</summary>
    public IBatchSource OpenData(DataShard? shard = null) => Data.Open(Features, Seed, shard ?? DataShard.Whole);
}
