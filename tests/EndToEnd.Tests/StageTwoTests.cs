using AvDsl.Cli;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>MAViL's stage 2 as generated from specs/mavil-tiny.avml: a stage-1 run made here, then a fresh student that
/// learns from its frozen copy, on four two-second audio-video clips made by ffmpeg.</summary>
[Collection(nameof(GlobalRandomness))]
public sealed class StageTwoTests
{
    private static MavilTinyConfig StageOne(string manifest) =>
        MavilTinyConfig.Default with { Data = new(manifest, "train"), Train = MavilTinyConfig.Default.Train with { Batch = 2 } };

    private static MavilTinyStage2Config StageTwo(string manifest, string teacherRun) => MavilTinyStage2Config.Default with
    {
        Teacher = MavilTinyStage2Config.Default.Teacher with { Run = teacherRun },
        Data = new(manifest, "train"),
        Train = MavilTinyStage2Config.Default.Train with { Batch = 2 },
    };

    private static RunOptions Options(string runDirectory, long steps) =>
        new(RunDirectory: runDirectory, Steps: steps) { CheckpointEvery = CheckpointInterval.Never };

    /// <summary>Every tensor of a checkpoint's model under <paramref name="prefix"/>, by key without it.</summary>
    private static Dictionary<string, float[]> Weights(string checkpoint, string prefix = "")
    {
        using var file = SafeTensors.Read(checkpoint, key => key.StartsWith(prefix, StringComparison.Ordinal));
        return file.Tensors.Where(kv => kv.Value.DType == DType.Float32).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value.ToArray<float>());
    }

    /// <summary>A key of one of the components the teacher copies (<c>of:</c> in specs/mavil-tiny.avml).</summary>
    private static bool Copied(string key) =>
        new[] { "a_patches", "a_pos", "a_cls", "a_encoder", "v_patches", "v_pos", "v_cls", "v_encoder", "fusion" }.Contains(key[..key.IndexOf('.')]);

    [Fact]
    public void A_fresh_student_trains_against_the_frozen_stage_one_model_which_stays_as_its_run_left_it()
    {
        using var temp = new TempFolder();
        var manifest = AudioVideoClips.Create(temp);
        var stageOneRun = Path.Combine(temp.Path, "runs", "mavil-tiny");
        Trainer.Run(MavilTinySpec.Plan(StageOne(manifest)), Options(stageOneRun, 3));
        var stageOne = Weights(Path.Combine(stageOneRun, Trainer.FinalCheckpointName));
        var plan = MavilTinyStage2Spec.Plan(StageTwo(manifest, stageOneRun));

        // The teacher as loaded before step 1: the stage-1 run's encoders, fusion, patches, positions and CLS tokens.
        Torch.ManualSeed(plan.Seed);
        Dictionary<string, float[]> initial;
        using (var model = (MavilTinyStage2Model)plan.CreateModel())
        {
            initial = model.StateDict().Where(kv => !kv.Key.StartsWith("teacher.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
            model.LoadPretrained();
            var teacher = model.Teacher.StateDict();
            Assert.Equal(stageOne.Keys.Where(Copied).Order(), teacher.Keys.Order()); // every parameter and buffer of the nine copies
            foreach (var (key, tensor) in teacher)
                Assert.Equal(stageOne[key], tensor.ToArray<float>());
            Assert.All(model.Teacher.Parameters(), p => Assert.False(p.RequiresGrad));
        }

        var stageTwoRun = Path.Combine(temp.Path, "runs", "mavil-tiny-stage2");
        var result = Trainer.Run(plan, Options(stageTwoRun, 2));

        Assert.Equal(2, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Terms["a_recon"] > 0 && s.Terms["v_recon"] > 0, $"step {s.Step}: {s.Loss}"));
        var after = Weights(result.CheckpointPath);
        var teacherAfter = Weights(result.CheckpointPath, "teacher.");
        Assert.Equal(stageOne.Keys.Where(Copied).Order(), teacherAfter.Keys.Order());
        foreach (var (key, values) in teacherAfter)
            Assert.Equal(stageOne[key], values); // frozen: two optimizer steps left it exactly as the run saved it
        // The student is fresh (not the stage-1 weights) and trained: every encoder and the fusion moved.
        foreach (var key in new[] { "a_encoder.blocks.0.attn.qkv.weight", "v_encoder.blocks.3.mlp.fc2.weight", "fusion.blocks.0.attn.proj.weight", "a_decoder.pred.weight" })
        {
            Assert.NotEqual(stageOne.GetValueOrDefault(key), initial[key]);
            Assert.NotEqual(initial[key], after[key]);
        }
        Assert.Contains("teacher = pretrained(spec: \"MavilTiny\", run: ", File.ReadAllText(Path.Combine(stageTwoRun, Trainer.SpecFileName)));
    }

    [Fact]
    public void A_stage_one_sweep_point_is_a_run_of_its_spec_for_the_stage_two_sweep()
    {
        using var temp = new TempFolder();
        var manifest = AudioVideoClips.Create(temp);
        var stageOneRun = Path.Combine(temp.Path, "runs", "mavil-tiny-seed1");
        Trainer.Run(MavilTinySeeds_TrainSeed1Spec.Plan(StageOne(manifest) with { Train = MavilTinySeeds_TrainSeed1Spec.Config.Train with { Batch = 2 } }),
            Options(stageOneRun, 1));
        using (var checkpoint = SafeTensors.Read(Path.Combine(stageOneRun, Trainer.FinalCheckpointName), _ => false))
            Assert.Equal(("MavilTinySeeds_TrainSeed1", "MavilTiny"), (checkpoint.Metadata["spec_name"], checkpoint.Metadata["variant_of"]));

        var point = MavilTinyStage2Seeds_TrainSeed1_TeacherRunRunsMavilTinySeed1Spec.Config;
        var result = Trainer.Run(MavilTinyStage2Seeds_TrainSeed1_TeacherRunRunsMavilTinySeed1Spec.Plan(StageTwo(manifest, stageOneRun) with { Train = point.Train with { Batch = 2 } }),
            Options(Path.Combine(temp.Path, "runs", "stage2-seed1"), 1));

        Assert.True(double.IsFinite(Assert.Single(result.Steps).Loss));
        Assert.Equal("runs/mavil-tiny-seed1", point.Teacher.Run);
    }

    [Fact]
    public void Training_without_the_stage_one_run_is_one_line_at_the_teacher_s_statement_and_leaves_no_run()
    {
        using var temp = new TempFolder();
        var teacherRun = Path.Combine(temp.Path, "runs", "mavil-tiny");
        var cli = new CapturedCli();
        var plan = MavilTinyStage2Spec.Plan(MavilTinyStage2Config.Default with { Teacher = MavilTinyStage2Config.Default.Teacher with { Run = teacherRun } });
        var runDirectory = Path.Combine(temp.Path, "runs", "stage2");

        var result = new Cli.Commands.TrainCommand(cli.Output, cli.Specs).Train(plan, new RunOptions(RunDirectory: runDirectory), CancellationToken.None);

        Assert.Equal(Cli.Shell.ResultKind.Failed, result.Kind);
        var line = Assert.Single(cli.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var teacherLine = Array.FindIndex(File.ReadAllLines(Repository.Spec("mavil-tiny.avml")), l => l.Contains("teacher = pretrained(")) + 1;
        Assert.Equal($"avdsl train: specs/mavil-tiny.avml:{teacherLine}: teacher run {teacherRun}: no such directory; train the stage-1 spec first: " +
            $"`./avdsl train MavilTiny --run-dir {teacherRun}`", line);
        Assert.False(Directory.Exists(runDirectory));
    }
}
