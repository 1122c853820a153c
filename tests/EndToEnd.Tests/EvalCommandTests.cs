using System.Text.Json;
using AvDsl.Cli;
using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The whole evaluation below probes a trained model and expects perfect accuracy: it draws from libtorch's
/// global generator, so it runs alone (<see cref="GlobalRandomness"/>).</summary>
[Collection(nameof(GlobalRandomness))]
public class EvalCommandTests
{
    // ---- the command line as a user runs it ---------------------------------------------------------

    [Fact]
    public void A_missing_run_directory_is_one_line_and_exit_one()
    {
        var (exit, output) = Avdsl("eval", "/nonexistent/run", "--task", "keywords", "--probe", "linear");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("avdsl eval: no run directory at /nonexistent/run; pass a folder made by `avdsl train` (it prints the path)", output.Trim());
    }

    [Fact]
    public void An_unknown_task_lists_the_corpus_tasks()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "TinyMaeKeywords");
        var corpus = FakeCorpus(temp, "keywords", "notes");

        var (exit, output) = Avdsl("eval", run, "--task", "kewords", "--probe", "linear", "--corpus", corpus);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal($"avdsl eval: no task `kewords` in {corpus}; its tasks are: keywords, notes", output.Trim());
    }

    [Fact]
    public void A_probe_outside_linear_and_finetune_is_a_usage_error()
    {
        var (exit, output) = Avdsl("eval", "/nonexistent/run", "--task", "keywords", "--probe", "knn");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'knn' not recognized", output);
    }

    [Fact]
    public void Retrieval_and_a_probe_are_asked_for_one_at_a_time()
    {
        var (both, output) = Avdsl("eval", "/nonexistent/run", "--task", "notes", "--probe", "linear", "--retrieval");
        Assert.Equal(ExitCodes.Usage, both);
        Assert.Equal("avdsl eval: --retrieval and --probe are two evaluations; run them one at a time", output.Trim());

        var (neither, said) = Avdsl("eval", "/nonexistent/run", "--task", "notes");
        Assert.Equal(ExitCodes.Usage, neither);
        Assert.Equal("avdsl eval: say what to evaluate: --probe linear, --probe finetune or --retrieval", said.Trim());

        var (init, initSaid) = Avdsl("eval", "/nonexistent/run", "--task", "notes", "--retrieval", "--init", "random");
        Assert.Equal(ExitCodes.Usage, init);
        Assert.Contains("drop --init and --embedding", initSaid);
    }

    // ---- the same checks in process -----------------------------------------------------------------

    [Fact]
    public void A_spec_without_retrieval_or_an_unknown_embedding_is_named()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "TinyMaeKeywords");
        var corpus = FakeCorpus(temp, "keywords");

        var cli = new CapturedCli();
        var result = new EvalCommand(cli.Output, cli.Specs).Run(new EvalOptions(run, "keywords", Corpus: corpus, Retrieval: true));
        Assert.Equal(ResultKind.Failed, result.Kind);
        Assert.Equal("avdsl eval: spec TinyMaeKeywords declares no retrieval; add `retrieval: [audio_clip, video_clip]` to its eval block, naming two embeddings of one width",
            cli.Error.Trim());

        cli = new CapturedCli();
        result = new EvalCommand(cli.Output, cli.Specs).Run(new EvalOptions(run, "keywords", Corpus: corpus, Embedding: "video_clip"));
        Assert.Equal(ResultKind.UsageError, result.Kind);
        Assert.Equal("avdsl eval: spec TinyMaeKeywords has no embedding `video_clip`; its eval block declares embed", cli.Error.Trim());
    }

    [Fact]
    public void A_run_without_a_final_checkpoint_suggests_the_random_baseline()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "TinyMaeKeywords", checkpoint: false);
        File.WriteAllText(Path.Combine(run, "checkpoint-step-7.safetensors"), "x");

        var (exit, error) = Run(run, "keywords", FakeCorpus(temp, "keywords"));

        Assert.Equal(ResultKind.Failed, exit);
        Assert.Equal($"avdsl eval: {run} has no checkpoint-final.safetensors (the run did not finish; it has checkpoint-step-7.safetensors); train it to the end, or pass --init random for the untrained baseline", error);
    }

    [Fact]
    public void A_spec_not_compiled_into_this_build_is_named()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "NoSuchSpec");

        var (exit, error) = Run(run, "keywords", FakeCorpus(temp, "keywords"));

        Assert.Equal(ResultKind.Failed, exit);
        var spec = Path.Combine(run, "spec.avml");
        Assert.StartsWith($"avdsl eval: spec NoSuchSpec (from {spec}) is not compiled into this build and that file does not compile (`avdsl check {spec}` shows why); compiled specs: ", error);
        Assert.Contains("TinyMaeKeywords", error);
    }

    [Fact]
    public void A_missing_corpus_says_how_to_build_it()
    {
        using var temp = new TempFolder();
        var (exit, error) = Run(FakeRun(temp, "TinyMaeKeywords"), "keywords", Path.Combine(temp.Path, "no-corpus"));

        Assert.Equal(ResultKind.Failed, exit);
        Assert.Equal($"avdsl eval: no corpus at {Path.Combine(temp.Path, "no-corpus")}; build the demo corpus with `avdsl corpus`, or pass --corpus DIR", error);
    }

    [Fact]
    public void A_spec_without_an_embedding_says_what_to_add()
    {
        using var temp = new TempFolder();
        var spec = CompiledSpecs.All.FirstOrDefault(s => !s.Plan().HasEmbedding);
        if (spec is null) return; // every compiled spec has an eval { embed: … } by now
        var (exit, error) = Run(FakeRun(temp, spec.Name), "keywords", FakeCorpus(temp, "keywords"));

        Assert.Equal(ResultKind.Failed, exit);
        Assert.Equal($"avdsl eval: spec {spec.Name} has no eval {{ embed: … }}; add one such as `{EvalCommand.EmbedExample}` — the clip embedding [B, D] a probe reads", error);
    }

    [Fact]
    public void A_run_spec_that_declares_no_spec_is_refused_by_the_parser_not_by_its_first_line()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "TinyMaeKeywords");
        var specPath = Path.Combine(run, "spec.avml");
        File.WriteAllText(specPath, "// a resolved spec that lost its declaration\n");

        var (exit, error) = Run(run, "keywords", FakeCorpus(temp, "keywords"));

        Assert.Equal(ResultKind.Failed, exit);
        Assert.Equal($"avdsl eval: {specPath} holds no `spec <Name> {{ … }}`; it is not a resolved spec written by `avdsl train`", error);
    }

    [Fact]
    public void A_run_names_its_spec_in_spec_avml_even_after_a_leading_comment()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "spec.avml"), "// resumed twice\nspec TinyMae {\n}\n");

        Assert.Equal("TinyMae", new TrainedRun(run).SpecName);
    }

    // ---- a whole evaluation on real media ------------------------------------------------------------

    [Fact]
    public void A_trained_tiny_mae_is_probed_and_fine_tuned_on_tones_and_writes_its_reports()
    {
        using var temp = new TempFolder();
        var corpus = ToneCorpus.Create(temp);
        var compiled = CompiledSpecs.All.Single(s => s.Name == "TinyMaeKeywords");
        var trainingPlan = compiled.Plan() with
        {
            Data = new ManifestSource(Path.Combine(corpus, "tones", "manifest.csv"), MaxBad: 0.5),
            Features = [Fbank()],
        };
        var trained = Trainer.Run(trainingPlan, new RunOptions(RunRoot: temp.Path, Steps: 3));

        var cli = new CapturedCli();
        var eval = new EvalCommand(cli.Output, cli.Specs);
        var linear = new EvalOptions(trained.RunDirectory, "tones", EvaluationProbe.Linear, Random: false, Seed: 1, corpus);
        var result = eval.Run(linear);
        Assert.True(result.Kind == ResultKind.Ok, cli.Error);
        Assert.NotNull(result.Report);
        Assert.Contains("accuracy ", cli.Out);
        Assert.Contains("skipped 1 of 9 train clip(s) whose media could not be decoded: 1 corrupt", cli.Out);

        var path = Path.Combine(trained.RunDirectory, "eval", "tones-linear.json");
        using (var json = JsonDocument.Parse(File.ReadAllText(path)))
        {
            var root = json.RootElement;
            Assert.Equal(1.0, root.GetProperty("accuracy").GetDouble()); // a low and a high tone: any encoder separates them
            Assert.Equal(8, root.GetProperty("train_clips").GetInt32());
            Assert.Equal(4, root.GetProperty("test_clips").GetInt32());
            Assert.Equal(["high", "low"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("checkpoint", root.GetProperty("init").GetString());
            Assert.Equal(1, root.GetProperty("splits")[0].GetProperty("bad_by_reason").GetProperty("corrupt").GetInt32());
        }

        result = eval.Run(linear with { Probe = EvaluationProbe.FineTune, Random = true, Epochs = 2 });
        Assert.True(result.Kind == ResultKind.Ok, cli.Error);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.RunDirectory, "eval", "tones-finetune-random.json"))))
        {
            Assert.Equal("random", json.RootElement.GetProperty("init").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("epochs").GetInt32());
            Assert.Equal(2, json.RootElement.GetProperty("layer_decay_layers").GetInt32());
        }
    }

    [Fact]
    public void A_trained_mavil_tiny_retrieves_between_audio_and_video_and_writes_both_reports()
    {
        using var temp = new TempFolder();
        var task = Path.Combine(temp.Path, "corpus", "av");
        Directory.CreateDirectory(task);
        var rows = new List<(string, string, string)>();
        for (var i = 0; i < 4; i++)
        {
            // Each clip's tone and picture differ, so every clip has a pair of its own.
            var name = $"clip{i}.mp4";
            var (exit, log) = ProcessRunner.Run(task, "ffmpeg", null, "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", $"testsrc=size=64x64:rate=8:duration=2,hue=h={90 * i}",
                "-f", "lavfi", "-i", $"sine=frequency={220 * (i + 1)}:duration=2",
                "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", name);
            Assert.True(exit == 0, log);
            rows.Add((name, $"c{i % 2}", "test"));
        }
        var manifest = Path.Combine(task, "manifest.csv");
        Manifest.WriteCsv(manifest, rows);
        var compiled = CompiledSpecs.All.Single(s => s.Name == "MavilTiny");
        var plan = compiled.Plan() with { Data = new ManifestSource(manifest, Split: "test"), BatchSize = 2 };
        var trained = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 1));

        var cli = new CapturedCli();
        var result = new EvalCommand(cli.Output, cli.Specs).Run(new EvalOptions(trained.RunDirectory, "av", Seed: 3, Corpus: Path.GetDirectoryName(task)!, Retrieval: true));

        Assert.True(result.Kind == ResultKind.Ok, cli.Error);
        var (model, random) = (result.Retrieval!, result.RetrievalRandom!);
        Assert.Equal(("checkpoint", "random"), (model.Init, random.Init));
        Assert.Equal(("audio_clip", "video_clip"), (model.First, model.Second));
        Assert.Equal(["audio"], model.FirstInputs);
        Assert.Equal(["video"], model.SecondInputs);
        Assert.Equal(4, model.Clips);
        foreach (var scores in new[] { model.FirstToSecond, model.SecondToFirst, random.FirstToSecond, random.SecondToFirst })
        {
            Assert.Equal(1.0, scores.R10); // 4 clips: every pair is within the top 10
            Assert.InRange(scores.MedianRank, 1, 4);
            Assert.Equal(4, scores.Queries);
        }
        Assert.Contains("zero-shot retrieval with MavilTiny: cosine similarity of audio and video embeddings", cli.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.RunDirectory, "eval", "av-retrieval.json")));
        Assert.Equal("checkpoint", json.RootElement.GetProperty("init").GetString());
        Assert.True(json.RootElement.GetProperty("first_to_second").TryGetProperty("r1", out _));
        Assert.True(File.Exists(Path.Combine(trained.RunDirectory, "eval", "av-retrieval-random.json")));
    }

    private static IClipFeatures Fbank() => new FbankFeature(Mel: 128, Frames: 128, Mean: -7.4286, Std: 3.8841).For("audio");

    private static (ResultKind Exit, string Error) Run(string run, string task, string corpus)
    {
        var cli = new CapturedCli();
        var result = new EvalCommand(cli.Output, cli.Specs).Run(new EvalOptions(run, task, Corpus: corpus));
        return (result.Kind, cli.Error.Trim());
    }

    private static string FakeRun(TempFolder temp, string spec, bool checkpoint = true)
    {
        var run = Path.Combine(temp.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "spec.avml"), $"spec {spec} {{\n}}\n");
        if (checkpoint) File.WriteAllText(Path.Combine(run, "checkpoint-final.safetensors"), "not read before the task is found");
        return run;
    }

    private static string FakeCorpus(TempFolder temp, params string[] tasks)
    {
        var corpus = Path.Combine(temp.Path, "corpus");
        foreach (var task in tasks)
        {
            Directory.CreateDirectory(Path.Combine(corpus, task));
            File.WriteAllText(Path.Combine(corpus, task, "manifest.csv"), "path,label,split\n");
        }
        Directory.CreateDirectory(Path.Combine(corpus, "not-a-task"));
        return corpus;
    }

    private static (int Exit, string Output) Avdsl(params string[] arguments)
    {
        var cli = Path.Combine(Repository.Root, "examples", "avdsl", "bin", ProcessRunner.Configuration, "net10.0", "avdsl.dll");
        return ProcessRunner.Run(Repository.Root, "dotnet", null, [cli, .. arguments]);
    }
}
