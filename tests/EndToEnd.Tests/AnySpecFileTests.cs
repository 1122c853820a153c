using System.Text.Json;
using System.Text.RegularExpressions;
using AvDsl.Cli;
using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>A spec file anywhere runs: one that matches no spec compiled into avdsl is compiled in process, once per
/// content, and cached.</summary>
public class AnySpecFileTests
{
    [Fact]
    public void A_spec_outside_the_repository_trains_and_a_second_run_reuses_its_compiled_assembly()
    {
        using var temp = new TempFolder();
        var spec = Path.Combine(temp.Path, "my-mae.avml");
        File.WriteAllText(spec, TinyMaeText().Replace("ratio: 0.75", "ratio: 0.6"));
        var cache = Path.Combine(temp.Path, "cache");
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache };

        var (exit, output) = Avdsl(temp.Path, environment, "train", spec, "--steps", "1", "--runs", "runs");

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Contains($"avdsl: compiled {spec} in ", output);
        var assembly = Assert.Single(Directory.GetFiles(Path.Combine(cache, "avdsl", "specs"), "*.dll"));
        var written = File.GetLastWriteTimeUtc(assembly);
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(temp.Path, "runs")));
        using (var metrics = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")))))
            Assert.True(double.IsFinite(metrics.RootElement.GetProperty("loss").GetDouble()), metrics.RootElement.ToString());
        Assert.Contains("view = random_mask(tokens, ratio: 0.6)", File.ReadAllText(Path.Combine(run, Trainer.SpecFileName)));

        (exit, output) = Avdsl(temp.Path, environment, "train", spec, "--steps", "1", "--runs", "runs");

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.DoesNotContain("compil", output);
        Assert.Equal(assembly, Assert.Single(Directory.GetFiles(Path.Combine(cache, "avdsl", "specs"), "*.dll")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(assembly));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(temp.Path, "runs")).Length);
    }

    [Fact]
    public void An_import_relative_to_an_outside_file_is_compiled_with_it_and_its_sweep_yields_every_point()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "base"));
        File.WriteAllText(Path.Combine(temp.Path, "base", "tiny.avml"), TinyMaeText().Replace("dim: 64, heads: 4, mlp: 4", "dim: 64, heads: 2, mlp: 4"));
        var sweep = Path.Combine(temp.Path, "ratios.avml");
        File.WriteAllText(sweep, "import \"base/tiny.avml\"\n\nsweep Ratio of TinyMae {\n  grid view.ratio in [0.5, 0.9]\n}\n");
        var cli = new CapturedCli();

        var specs = cli.SpecsCachedIn(Path.Combine(temp.Path, "cache")).ResolveAll(sweep);

        Assert.True(specs.Count == 2, cli.Error);
        Assert.Equal(["Ratio_ViewRatio0p5", "Ratio_ViewRatio0p9"], specs.Select(s => s.Name));
        Assert.Contains("encoder = transformer(dim: 64, depth: 2, heads: 2,", specs[1].ResolvedSpec); // the import's own setting
        Assert.Contains("view = random_mask(tokens, ratio: 0.9)", specs[1].ResolvedSpec);
        var result = Trainer.Run(specs[1].Plan(), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 1));
        Assert.True(double.IsFinite(Assert.Single(result.Steps).Loss));
    }

    [Fact]
    public void A_spec_with_an_error_outside_the_repository_prints_its_located_diagnostic_and_compiles_nothing()
    {
        using var temp = new TempFolder();
        var spec = Path.Combine(temp.Path, "broken.avml");
        File.WriteAllText(spec, TinyMaeText().Replace("heads: 4, mlp: 4", "heads: 4, mpl: 4"));
        var cli = new CapturedCli();

        var result = new TrainCommand(cli.Output, cli.SpecsCachedIn(Path.Combine(temp.Path, "cache"))).Run(new TrainOptions(spec, Steps: 1, Runs: Path.Combine(temp.Path, "runs")), CancellationToken.None);

        Assert.Equal(ResultKind.Failed, result.Kind);
        var lines = cli.Error.Split('\n');
        Assert.Matches($@"^{Regex.Escape(spec)}:\d+:\d+: error AV0003: `transformer` has no argument `mpl`$", lines[0]);
        Assert.Contains("help: did you mean `mlp`?", cli.Error);
        Assert.DoesNotContain("   at ", cli.Error);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "cache")));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "runs")));
    }

    [Fact]
    public void A_run_trained_from_an_outside_spec_is_evaluated_with_the_architecture_in_its_spec_avml()
    {
        using var temp = new TempFolder();
        var corpus = ToneCorpus.Create(temp);
        var spec = Path.Combine(temp.Path, "tones.avml");
        File.WriteAllText(spec, TinyMaeText()
            .Replace("input audio: fbank(mel: 128, frames: 256)", "input audio: fbank(mel: 128, frames: 128, mean: -7.4286, std: 3.8841)")
            .Replace("grid: [16, 8]", "grid: [8, 8]")
            .Replace("train: synthetic_spectrograms()", $"train: manifest(path: \"{Path.Combine(corpus, "tones", "manifest.csv")}\", split: \"train\", max_bad: 0.5)")
            .Replace("  data {", "  eval {\n    embed: mean_tokens(encoder(patches(audio) + pos()))\n  }\n\n  data {"));
        var cli = new CapturedCli();
        var trained = new TrainCommand(cli.Output, cli.SpecsCachedIn(Path.Combine(temp.Path, "cache")))
            .Run(new TrainOptions(spec, Steps: 2, Runs: Path.Combine(temp.Path, "runs")), CancellationToken.None);
        Assert.True(trained.Kind == ResultKind.Ok, cli.Error);

        // A later avdsl has loaded nothing: the run's spec.avml, itself a spec file, is compiled in process.
        var later = new CapturedCli();
        var eval = new EvalCommand(later.Output, later.SpecsCachedIn(Path.Combine(temp.Path, "cache")));
        var result = eval.Run(new EvalOptions(trained.Run!.RunDirectory, "tones", Corpus: corpus, Epochs: 2));

        Assert.True(result.Kind == ResultKind.Ok, later.Error);
        Assert.Contains($"avdsl: compiled {Path.Combine(trained.Run.RunDirectory, Trainer.SpecFileName)} in ", later.Error);
        Assert.DoesNotContain("differs", later.Error);
        Assert.True(File.Exists(Path.Combine(trained.Run.RunDirectory, "eval", "tones-linear.json")));
    }

    [Fact]
    public void A_spec_edited_since_the_build_is_compiled_as_it_is_now_by_name_and_through_the_files_importing_it()
    {
        // A copy of specs/ standing for the repository after an edit to tiny-mae.avml, with avdsl not rebuilt.
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "specs"));
        File.WriteAllText(Path.Combine(temp.Path, "specs", "tiny-mae.avml"), TinyMaeText().Replace("ratio: 0.75", "ratio: 0.7"));
        var ablations = Path.Combine(temp.Path, "specs", "tiny-mae-ablations.avml");
        File.Copy(Repository.Spec("tiny-mae-ablations.avml"), ablations);
        var cli = new CapturedCli();
        var specs = cli.SpecsCachedIn(Path.Combine(temp.Path, "cache"), specFolder: temp.Path);

        var byName = specs.Resolve("TinyMae");
        // The ablations file is byte for byte the one compiled into avdsl, but the spec it extends is not.
        var deep = specs.Resolve(ablations, "TinyMaeDeep");

        Assert.True(byName is not null && deep is not null, cli.Error);
        Assert.Contains("view = random_mask(tokens, ratio: 0.7)", byName.ResolvedSpec);
        Assert.Contains("view = random_mask(tokens, ratio: 0.7)", deep.ResolvedSpec);
        Assert.Contains("depth: 4", deep.ResolvedSpec);
        Assert.NotSame(AvDsl.Specs.CompiledSpecs.All.Single(s => s.Name == "TinyMaeDeep"), deep);
    }

    [Fact]
    public void A_spec_unchanged_since_the_build_is_the_compiled_one()
    {
        var cli = new CapturedCli();
        using var temp = new TempFolder();
        var specs = cli.SpecsCachedIn(Path.Combine(temp.Path, "cache"));

        Assert.Same(AvDsl.Specs.CompiledSpecs.All.Single(s => s.Name == "TinyMaeDeep"), specs.Resolve(Repository.Spec("tiny-mae-ablations.avml"), "TinyMaeDeep"));
        Assert.Same(AvDsl.Specs.CompiledSpecs.All.Single(s => s.Name == "EatTiny"), specs.Named("EatTiny"));
        Assert.Empty(cli.Error);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "cache")));
    }

    private static string TinyMaeText() => File.ReadAllText(Repository.Spec("tiny-mae.avml"));

    private static (int Exit, string Output) Avdsl(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var cli = Path.Combine(Repository.Root, "examples", "avdsl", "bin", ProcessRunner.Configuration, "net10.0", "avdsl.dll");
        return ProcessRunner.Run(directory, "dotnet", environment, [cli, .. arguments]);
    }
}
