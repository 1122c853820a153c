using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A spec's <c>teacher = pretrained(spec: Mavil, run: "runs/mavil", of: [a_encoder, …])</c>: frozen copies of components,
/// built like the student's, whose weights are those the components of the same names have in the final checkpoint of a
/// run of spec <c>Mavil</c> (MAViL's stage 2 distils a frozen stage-1 model so). Everything that can be wrong with the run
/// is found here, before the first step, and said with the path and what to do.
/// </summary>
public static class PretrainedTeacher
{
    /// <summary>
    /// Loads the teacher's copies from <paramref name="run"/>'s checkpoint-final.safetensors and freezes them (no
    /// gradients, evaluation mode). The checkpoint must be of spec <paramref name="spec"/> or of one of its sweep points,
    /// and hold every parameter and buffer of the copies, in their shapes; its other tensors (decoders, optimizer state)
    /// are not read.
    /// </summary>
    /// <param name="run">The run directory; a relative path is taken from the current folder, as a manifest's is.</param>
    /// <exception cref="TeacherRunException">The run is missing, unfinished, of another spec, or of other shapes.</exception>
    public static void Load(Module teacher, string run, string spec)
    {
        var checkpoint = FinalCheckpoint(run, spec);
        var own = teacher.StateDict();
        var components = own.Keys.Select(Component).ToHashSet(StringComparer.Ordinal);
        using var file = Read(checkpoint, run, key => components.Contains(Component(key)));
        CheckSpec(file.Metadata, checkpoint, spec);

        var missing = own.Keys.Where(k => !file.Tensors.ContainsKey(k)).ToList();
        var extra = file.Tensors.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var (key, where) = missing.Count > 0 ? (missing[0], "the teacher's copy has it, the checkpoint does not") : (extra[0], "the checkpoint has it, the teacher's copy does not");
            var more = missing.Count + extra.Count - 1;
            throw new TeacherRunException(
                $"teacher run {run}: `{key}`: {where}{(more > 0 ? $" (and {more} more keys differ)" : "")}; the teacher's `{Component(key)}` is built like " +
                $"this spec's, and spec {spec}'s is built otherwise (compare {Path.Combine(run, Trainer.SpecFileName)})");
        }
        var mismatched = own.Where(kv => !kv.Value.Shape.AsSpan().SequenceEqual(file.Tensors[kv.Key].Shape)).ToList();
        if (mismatched.Count > 0)
        {
            var (key, copy) = (mismatched[0].Key, mismatched[0].Value);
            throw new TeacherRunException(
                $"teacher run {run}: `{key}` is {file.Tensors[key].Describe()} in {checkpoint} but {copy.Describe()} in the teacher's copy" +
                $"{(mismatched.Count > 1 ? $" (and {mismatched.Count - 1} more keys differ in shape)" : "")}; the teacher's copies are built like this spec's " +
                $"components, so they must have spec {spec}'s sizes (compare {Path.Combine(run, Trainer.SpecFileName)})");
        }
        teacher.LoadStateDict(file.Tensors);
        teacher.Freeze();
    }

    /// <summary>The run's checkpoint-final.safetensors, or why there is none.</summary>
    private static string FinalCheckpoint(string run, string spec)
    {
        if (!Directory.Exists(run))
        {
            var relative = Path.IsPathRooted(run) ? "" : $" (a relative path is taken from the current folder, {Directory.GetCurrentDirectory()})";
            throw new TeacherRunException(
                $"teacher run {run}: no such directory{relative}; train the stage-1 spec first: `./avdsl train {spec} --run-dir {run}`");
        }
        var checkpoint = Path.Combine(run, Trainer.FinalCheckpointName);
        if (File.Exists(checkpoint))
            return checkpoint;
        var newest = Trainer.StepCheckpoints(run).OrderByDescending(c => c.Step).Select(c => (long?)c.Step).FirstOrDefault();
        throw new TeacherRunException(newest is { } step
            ? $"teacher run {run}: no {Trainer.FinalCheckpointName}, the run stopped at step {step}; finish it first: `./avdsl train --resume {run}`"
            : $"teacher run {run}: no {Trainer.FinalCheckpointName} and no step checkpoint to resume from, the run stopped before its first one; " +
              $"train spec {spec} again: `./avdsl train {spec} --run-dir <new directory>`");
    }

    private static SafeTensorsFile Read(string checkpoint, string run, Func<string, bool> select)
    {
        try
        {
            return SafeTensors.Read(checkpoint, select);
        }
        catch (InvalidDataException error)
        {
            throw new TeacherRunException($"teacher run {run}: {error.Message} Train the stage-1 spec again into a new run directory.");
        }
    }

    /// <summary>The checkpoint is of <paramref name="spec"/> or of one of its sweep points.</summary>
    private static void CheckSpec(IReadOnlyDictionary<string, string> metadata, string checkpoint, string spec)
    {
        if (!metadata.TryGetValue(Checkpoint.SpecNameKey, out var held))
            throw new TeacherRunException($"teacher run: {checkpoint} names no spec in its metadata, so it is not a checkpoint `avdsl train` wrote");
        metadata.TryGetValue(Checkpoint.VariantOfKey, out var variantOf);
        if (held == spec || variantOf == spec)
            return;
        var what = variantOf is null ? $"spec {held}" : $"spec {held}, a sweep point of {variantOf}";
        throw new TeacherRunException(
            $"teacher run: {checkpoint} holds {what}, not {spec}; give `run:` a run of spec {spec} (or of one of its sweep points), " +
            $"or write `spec: {variantOf ?? held}` if that run is the teacher you mean");
    }

    /// <summary>The component a state-dict key belongs to: its first segment (<c>a_encoder</c> of <c>a_encoder.blocks.0.attn.qkv.weight</c>).</summary>
    private static string Component(string key) => key.IndexOf('.') is var dot and >= 0 ? key[..dot] : key;
}
