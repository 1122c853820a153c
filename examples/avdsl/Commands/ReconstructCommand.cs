using System.CommandLine;
using AvDsl.Cli.Pictures;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl reconstruct &lt;spec&gt; --run &lt;run-dir&gt; --clip N [--out FOLDER] [--manifest PATH] [--seed S]</c>: pictures of what a
/// trained MAE-style model reconstructs of one clip, for each reconstruction loss of the spec (<see cref="TrainingPlan.Reconstructions"/>):
/// the input, the input with its hidden patches painted over, and the reconstruction, as PNG files
/// (<see cref="ReconstructionPictures"/>), with an ffmpeg command line that puts them side by side.
/// </summary>
public sealed class ReconstructCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly Func<CompiledSpec, TrainingPlan> planOf;

    private readonly Argument<string> spec = new("spec") { Description = "A spec file or the name of a compiled spec: the architecture the run's weights are loaded into." };
    private readonly Option<string?> name = new("--spec") { Description = "Which spec of a file that holds several." };
    private readonly Option<string> run = new("--run") { Description = "A finished run of the spec, made by `avdsl train` (it holds checkpoint-final.safetensors).", Required = true };
    private readonly Option<int> clip = new("--clip")
    {
        Description = "Which clip to draw, counted from 0 in manifest order: of the split the spec trains on, or of every row of --manifest.",
        Required = true,
    };
    private readonly Option<string?> outFolder = new("--out") { Description = "The folder the pictures go to (default: <run>/reconstruct/<manifest>-clip-<N>)." };
    private readonly Option<string?> manifest = new("--manifest") { Description = "Take the clip from this manifest (.csv or .jsonl) instead of the spec's training manifest." };
    /// <summary>DDIM steps of a denoising decoder when --steps is not given: enough to see the sample form.</summary>
    public const int DefaultSamplingSteps = 10;

    private readonly Option<int?> steps = new("--steps") { Description = "DDIM sampling steps of a diffusion decoder (a target that passes through noise), from pure noise; default 10. One picture per step." };
    private readonly Option<long> seed = new("--seed") { Description = "Seeds the masks: the same seed draws the same picture.", DefaultValueFactory = _ => 0 };

    /// <param name="planOf">Builds the training plan of the compiled spec (tests substitute one reading their own clips).</param>
    public ReconstructCommand(CommandOutput output, SpecResolver specs, Func<CompiledSpec, TrainingPlan>? planOf = null)
    {
        this.output = output;
        this.specs = specs;
        this.planOf = planOf ?? (compiled => compiled.Plan());
        Syntax = new Command("reconstruct", "Draw what a trained MAE-style model reconstructs of one clip: input, masked input and reconstruction as PNG pictures per reconstruction loss.")
        {
            spec, name, run, clip, outFolder, manifest, steps, seed,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(new ReconstructOptions(
        parsed.GetValue(spec)!, parsed.GetValue(run)!, parsed.GetValue(clip), parsed.GetValue(outFolder), parsed.GetValue(steps),
        parsed.GetValue(manifest), parsed.GetValue(seed), parsed.GetValue(name)), cancel);

    public ReconstructResult Run(ReconstructOptions options, CancellationToken cancel = default)
    {
        if (options.Clip < 0)
            return Fail($"--clip counts clips from 0; got {options.Clip}", ResultKind.UsageError);
        if (options.Steps is <= 0)
            return Fail("--steps must be at least 1", ResultKind.UsageError);

        // The spec: its architecture and the losses that reconstruct an input.
        var compiled = specs.Resolve(options.Spec, options.SpecName);
        if (compiled is null) return new ReconstructResult(ResultKind.Failed);
        var plan = planOf(compiled);
        if (plan.Reconstructions.Count == 0)
            return Fail($"spec {compiled.Name} has no reconstruction loss (a loss comparing predictions with an input's patches at masked positions, such as " +
                "`mse(pred[view.masked], target[view.masked])` with `target = patchify(audio, patch: 16)`), so there is nothing to draw");
        var noised = plan.Reconstructions.Where(t => t.Noised is not null).ToList();
        if (options.Steps is not null && noised.Count == 0)
            return Fail($"--steps sets a diffusion sampler's steps, and spec {compiled.Name}'s reconstructions ({string.Join(", ", plan.Reconstructions.Select(t => t.Loss))}) " +
                "are each one forward pass; drop --steps", ResultKind.UsageError);
        // A denoising decoder is sampled from pure noise (10 DDIM steps unless told): one pass at a random noise level would
        // show how it denoises at that level, not what it generates.
        var pass = noised.Count == 0 ? null : DiffusionReconstruction.Sampling(options.Steps ?? DefaultSamplingSteps, options.Seed);

        // The run: a finished run of that spec.
        var trained = new TrainedRun(options.RunDirectory);
        if (!trained.Exists)
            return Fail($"no run directory at {trained.Path}; pass a folder made by `avdsl train {compiled.Name}` (it prints the path)");
        if (!trained.HasSpec)
            return Fail($"{trained.Path} has no {Trainer.SpecFileName}, so it is not a run directory made by `avdsl train`");
        if (trained.SpecName is { } runSpec && runSpec != compiled.Name)
            return Fail($"{trained.Path} is a run of spec {runSpec}, not {compiled.Name}; pass {runSpec}, or a run of {compiled.Name}", ResultKind.UsageError);
        var checkpoint = trained.FinalCheckpoint;
        if (!File.Exists(checkpoint))
        {
            var partial = trained.PartialCheckpoints;
            return Fail($"{trained.Path} has no {Trainer.FinalCheckpointName} (the run did not finish" +
                (partial.Count > 0 ? $"; it has {string.Join(", ", partial)}" : "") + $"); train it to the end: `avdsl train {compiled.Name} --resume {trained.Path}`");
        }
        if (compiled.ResolvedSpec != trained.SpecText)
            output.Error.WriteLine($"avdsl reconstruct: warning: {trained.SpecPath} differs from spec {compiled.Name} as compiled into this build; drawing the compiled architecture with the run's weights");

        // The clip.
        var listing = options.Manifest is { } path ? new ManifestSplit(path, Split: null) : plan.Data.Clips();
        if (listing is null)
            return Fail($"spec {compiled.Name} trains on generated data, not on a manifest's clips; pass --manifest PATH to draw a clip of one", ResultKind.UsageError);
        IReadOnlyList<ManifestEntry> clips;
        try
        {
            clips = File.Exists(listing.Path)
                ? listing.Load()
                : throw new ManifestException($"{listing.Path}: no such manifest{(options.Manifest is null ? $" (spec {compiled.Name}'s training data; for the demo corpus run `avdsl corpus` first)" : "")}");
        }
        catch (ManifestException error)
        {
            return Fail(error.Message);
        }
        if (clips.Count == 0)
            return Fail($"{listing} lists no clips; pass --manifest PATH to draw a clip of another manifest");
        if (options.Clip >= clips.Count)
            return Fail($"--clip {options.Clip} is out of range: {listing} lists {clips.Count} clip{(clips.Count == 1 ? "" : "s")}; pass 0 to {clips.Count - 1}", ResultKind.UsageError);
        var entry = clips[options.Clip];

        var folder = options.Out ?? Path.Combine(trained.Path, "reconstruct", $"{Path.GetFileNameWithoutExtension(listing.Path)}-clip-{options.Clip}");
        output.Out.WriteLine($"reconstructing clip {options.Clip} of {listing}, {entry.RelativePath}, with {compiled.Name} from {trained.Path} (seed {options.Seed})");
        if (Attempt(() => ClipReconstruction.Run(plan, checkpoint, entry, options.Seed, listing.CacheFolder, pass, cancel), compiled.Name, checkpoint, out var samples) is { } failed)
            return failed;
        if (Attempt(() => ReconstructionPictures.Write(samples, folder), compiled.Name, checkpoint, out var pictures) is { } unwritten)
            return unwritten;

        foreach (var drawn in pictures)
        {
            var (term, sample) = (drawn.Sample.Term, drawn.Sample);
            output.Out.WriteLine($"{term.Loss}: {term.Input}, {sample.HiddenPatches} of {sample.Patches} patches hidden ({term.Prediction} against {term.Target} at {term.Mask})");
            output.Out.WriteLine($"  {string.Join(", ", drawn.Names)}: {drawn.Description}");
        }
        output.Out.WriteLine($"wrote {pictures.Sum(p => p.Files.Count)} pictures to {folder}");
        output.Out.WriteLine("to see input, masked input and reconstruction side by side:");
        foreach (var drawn in pictures) output.Out.WriteLine($"  {drawn.SideBySide}");
        return new ReconstructResult(ResultKind.Ok, folder, pictures);
    }

    /// <summary>Runs a step; what bad input, a missing tool, a mismatched checkpoint or a stop make of it is one line.</summary>
    private ReconstructResult? Attempt<T>(Func<T> step, string specName, string checkpoint, out T result)
    {
        result = default!;
        try
        {
            result = step();
            return null;
        }
        catch (OperationCanceledException)
        {
            return Fail("stopped");
        }
        catch (StateDictMismatchException mismatch)
        {
            return Fail($"{checkpoint} does not fit spec {specName} as compiled now: {mismatch.Message}");
        }
        catch (Exception failure) when (failure is ManifestException or InvalidMediaException or MediaToolMissingException or InvalidDataException or IOException
            or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(failure.Message);
        }
    }

    private ReconstructResult Fail(string message, ResultKind kind = ResultKind.Failed)
    {
        output.Error.WriteLine($"avdsl reconstruct: {message}");
        return new ReconstructResult(kind);
    }
}
