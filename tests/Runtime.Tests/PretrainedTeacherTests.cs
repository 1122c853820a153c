using AvDsl.Runtime.Data;
using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary><see cref="PretrainedTeacher.Load"/>: a teacher's copies take a stage-1 run's weights, frozen, and every way the
/// run can be wrong is said before the first step with the path and what to do.</summary>
public sealed class PretrainedTeacherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-teacher-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>What a stage-1 run's model holds: the components a teacher copies, and a decoder it does not.</summary>
    private sealed class StageOne(int dim) : Module
    {
        public Transformer Encoder { get; } = new(dim: dim, depth: 2, heads: 2);
        public Linear Head { get; } = new(dim, 2);
        public Linear Decoder { get; } = new(dim, 16);
    }

    /// <summary>A teacher copying <c>encoder</c> and <c>head</c>, with drop-path so that its mode shows in its output.</summary>
    private sealed class Teacher(int dim) : Module
    {
        public Transformer Encoder { get; } = new(dim: dim, depth: 2, heads: 2, dropPath: 0.5); // the second block drops its branch half the time
        public Linear Head { get; } = new(dim, 2);
    }

    /// <summary>A finished run of spec <paramref name="spec"/> at <c>_root/name</c>, its model seeded with 7.</summary>
    private (string Run, StageOne Model) FinishedRun(string name, string spec = "Stage1", int dim = 8, string? variantOf = null)
    {
        var run = Path.Combine(_root, name);
        Directory.CreateDirectory(run);
        T.ManualSeed(7);
        var model = new StageOne(dim);
        Checkpoint.Write(Path.Combine(run, Trainer.FinalCheckpointName), model, null, 3, spec, $"spec {spec} {{}}", 7, variantOf: variantOf);
        return (run, model);
    }

    private static TeacherRunException Refused(Module teacher, string run, string spec = "Stage1") =>
        Assert.Throws<TeacherRunException>(() => PretrainedTeacher.Load(teacher, run, spec));

    [Fact]
    public void The_copies_take_the_run_s_weights_and_stay_frozen_in_evaluation_mode()
    {
        var (run, stageOne) = FinishedRun("stage1");
        using var _ = stageOne;
        T.ManualSeed(99); // other initial weights than the run's
        using var teacher = new Teacher(8);

        PretrainedTeacher.Load(teacher, run, "Stage1");

        foreach (var (key, tensor) in teacher.StateDict())
            Assert.Equal(stageOne.StateDict()[key].ToArray<float>(), tensor.ToArray<float>());
        Assert.All(teacher.Parameters(), p => Assert.False(p.RequiresGrad));
        // A holder switched to training (as the trainer does with the whole model) leaves the teacher in evaluation
        // mode: drop-path 0.5 would otherwise make two forward passes differ.
        using var holder = new Holder(teacher);
        holder.Train();
        Assert.True(holder.Training);
        Assert.All(teacher.Modules(), m => Assert.False(m.Training));
        using var scope = new TensorScope();
        var x = T.Randn(2, 3, 8);
        Assert.Equal(teacher.Encoder.Forward(x).ToArray<float>(), teacher.Encoder.Forward(x).ToArray<float>());
    }

    private sealed class Holder(Teacher teacher) : Module
    {
        public Linear Student { get; } = new(8, 8);
        public Teacher Copies { get; } = teacher;
    }

    [Fact]
    public void A_sweep_point_of_the_spec_is_accepted()
    {
        var (run, stageOne) = FinishedRun("seed1", spec: "Stage1Seeds_TrainSeed1", variantOf: "Stage1");
        using var _ = stageOne;
        using var teacher = new Teacher(8);

        PretrainedTeacher.Load(teacher, run, "Stage1");

        Assert.Equal(stageOne.Head.Weight.ToArray<float>(), teacher.Head.Weight.ToArray<float>());
    }

    [Fact]
    public void A_missing_run_says_to_train_the_stage_one_spec_first()
    {
        using var teacher = new Teacher(8);
        var run = Path.Combine(_root, "runs", "stage1");

        var error = Refused(teacher, run);

        Assert.Equal($"teacher run {run}: no such directory; train the stage-1 spec first: `./avdsl train Stage1 --run-dir {run}`", error.Message);
        var relative = Refused(teacher, "runs/nowhere");
        Assert.Contains($"runs/nowhere: no such directory (a relative path is taken from the current folder, {Directory.GetCurrentDirectory()})", relative.Message);
    }

    [Fact]
    public void An_unfinished_run_says_to_resume_it()
    {
        var (run, stageOne) = FinishedRun("unfinished");
        using var _ = stageOne;
        File.Move(Path.Combine(run, Trainer.FinalCheckpointName), Path.Combine(run, Trainer.StepCheckpointName(120)));
        using var teacher = new Teacher(8);

        var error = Refused(teacher, run);

        Assert.Equal($"teacher run {run}: no checkpoint-final.safetensors, the run stopped at step 120; finish it first: `./avdsl train --resume {run}`", error.Message);
        File.Delete(Path.Combine(run, Trainer.StepCheckpointName(120)));
        Assert.Contains("no step checkpoint to resume from", Refused(teacher, run).Message);
    }

    [Fact]
    public void A_damaged_checkpoint_is_one_sentence_naming_it()
    {
        var run = Path.Combine(_root, "damaged");
        Directory.CreateDirectory(run);
        File.WriteAllBytes(Path.Combine(run, Trainer.FinalCheckpointName), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var teacher = new Teacher(8);

        var error = Refused(teacher, run);

        Assert.StartsWith($"teacher run {run}: '{Path.Combine(run, Trainer.FinalCheckpointName)}' is not a safetensors file", error.Message);
    }

    [Fact]
    public void A_run_of_another_spec_says_which_spec_it_holds()
    {
        var (run, stageOne) = FinishedRun("other", spec: "EatTiny");
        using var _ = stageOne;
        using var teacher = new Teacher(8);

        var error = Refused(teacher, run);

        var checkpoint = Path.Combine(run, Trainer.FinalCheckpointName);
        Assert.Equal($"teacher run: {checkpoint} holds spec EatTiny, not Stage1; give `run:` a run of spec Stage1 (or of one of its sweep points), " +
            "or write `spec: EatTiny` if that run is the teacher you mean", error.Message);
        var (point, pointModel) = FinishedRun("point", spec: "EatTinySeeds_TrainSeed1", variantOf: "EatTiny");
        using var __ = pointModel;
        Assert.Contains("holds spec EatTinySeeds_TrainSeed1, a sweep point of EatTiny, not Stage1", Refused(teacher, point).Message);
    }

    [Fact]
    public void Other_shapes_name_the_key_and_both_shapes_and_load_nothing()
    {
        var (run, stageOne) = FinishedRun("wide", dim: 16);
        using var _ = stageOne;
        T.ManualSeed(99);
        using var teacher = new Teacher(8);
        var before = teacher.Head.Weight.ToArray<float>();

        var error = Refused(teacher, run);

        Assert.StartsWith($"teacher run {run}: `encoder.blocks.0.norm1.weight` is Float32[16] in {Path.Combine(run, Trainer.FinalCheckpointName)} " +
            "but Float32[8] in the teacher's copy (and ", error.Message);
        Assert.EndsWith($"must have spec Stage1's sizes (compare {Path.Combine(run, "spec.avml")})", error.Message);
        Assert.Equal(before, teacher.Head.Weight.ToArray<float>());
    }

    [Fact]
    public void A_key_only_one_side_has_is_named()
    {
        var (run, stageOne) = FinishedRun("post");
        using var _ = stageOne;
        using var teacher = new PostNormTeacher();

        var error = Refused(teacher, run);

        // A post-norm transformer has an input LayerNorm the run's pre-norm one lacks.
        Assert.StartsWith($"teacher run {run}: `encoder.input_norm.weight`: the teacher's copy has it, the checkpoint does not", error.Message);
    }

    private sealed class PostNormTeacher : Module
    {
        public Transformer Encoder { get; } = new(dim: 8, depth: 2, heads: 2, norm: Norm.Post);
    }

    /// <summary>TinyMae's student whose targets are a frozen copy of a TinyMae run's patches and encoder, written as the
    /// generator writes a spec with a pretrained teacher.</summary>
    private sealed class Distilled : SpecModel
    {
        private readonly string _teacherRun;

        public Distilled(string teacherRun)
        {
            _teacherRun = teacherRun;
            Teacher.Freeze();
        }

        public PatchEmbed2d Patches { get; } = new(patch: 16, dim: 64, channels: 1);
        public SinCos2d Pos { get; } = new(dim: 64, grid: [16, 8]);
        public Transformer Encoder { get; } = new(dim: 64, depth: 2, heads: 4);
        public RandomMask Mask { get; } = new(ratio: 0.75);
        public MaeDecoder Decoder { get; } = new(inputs: 64, dim: 64, depth: 1, heads: 4, outputs: 64, grid: [16, 8]);
        public DistilledTeacher Teacher { get; } = new();

        public override void LoadPretrained() => PretrainedTeacher.Load(Teacher, _teacherRun, "TinyMae");

        public override LossTerms Loss(Batch batch)
        {
            var audio = batch["audio"];
            var view = Mask.Forward(Patches.Forward(audio) + Pos.Forward());
            var pred = Decoder.Forward(Encoder.Forward(view.Visible), view);                      // [B, 128, 64]
            var target = Teacher.Encoder.Forward(Teacher.Patches.Forward(audio) + Pos.Forward()); // [B, 128, 64]
            var loss = Losses.Mse(pred[view.Masked], target[view.Masked]);
            return new LossTerms(loss, [new("distill", loss)]);
        }
    }

    private sealed class DistilledTeacher : Module
    {
        public PatchEmbed2d Patches { get; } = new(patch: 16, dim: 64, channels: 1);
        public Transformer Encoder { get; } = new(dim: 64, depth: 2, heads: 4);
    }

    private static TrainingPlan Stage2(string teacherRun, long steps) => TinyMae.Plan(steps) with
    {
        SpecName = "Distilled",
        ResolvedSpec = "spec Distilled { /* hand-built test model */ }\n",
        CreateModel = () => new Distilled(teacherRun),
    };

    [Fact]
    public void A_missing_teacher_run_stops_the_trainer_before_it_makes_a_run_directory()
    {
        var runs = Path.Combine(_root, "runs");

        var error = Assert.Throws<TeacherRunException>(() => Trainer.Run(Stage2(Path.Combine(_root, "nowhere"), 2), new RunOptions(RunRoot: runs)));

        Assert.Contains("`./avdsl train TinyMae --run-dir ", error.Message);
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public void A_stage_two_run_saves_its_teacher_and_resumes_without_the_teacher_s_run()
    {
        var stageOne = Trainer.Run(TinyMae.Plan(3), new RunOptions(RunRoot: Path.Combine(_root, "stage1")));
        var teacherRun = Path.Combine(_root, "teacher");
        Directory.Move(stageOne.RunDirectory, teacherRun);
        var runs = Path.Combine(_root, "runs");
        const int steps = 4;
        var full = Trainer.Run(Stage2(teacherRun, steps), new RunOptions(RunRoot: runs));
        using var cancel = new CancellationTokenSource();
        var cancelled = Trainer.Run(Stage2(teacherRun, steps), new RunOptions(RunRoot: runs), onStep: s => { if (s.Step == 2) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(cancelled.Cancelled);

        // The checkpoint holds the teacher as loaded, not its optimizer state: it takes no update.
        using (var checkpoint = SafeTensors.Read(cancelled.CheckpointPath))
        using (var stageOneWeights = SafeTensors.Read(Path.Combine(teacherRun, Trainer.FinalCheckpointName)))
        {
            Assert.Equal(stageOneWeights.Tensors["encoder.blocks.1.attn.qkv.weight"].ToArray<float>(), checkpoint.Tensors["teacher.encoder.blocks.1.attn.qkv.weight"].ToArray<float>());
            Assert.DoesNotContain(checkpoint.Tensors.Keys, k => k.StartsWith("optimizer.teacher.", StringComparison.Ordinal));
        }
        Directory.Delete(teacherRun, recursive: true);
        var resumed = Trainer.Resume(Stage2(teacherRun, steps), cancelled.RunDirectory);

        Assert.Equal(full.Steps.Skip(2).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
    }
}
