using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AvDsl.Generator.Tests;

public class SpecGeneratorTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AvDsl.sln"))) directory = directory.Parent;
        return directory!.FullName;
    }

    public static TheoryData<string> SpecFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "specs"), "*.avml").OrderBy(f => f, StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    private static AvmlText Spec(string file) => new($"specs/{file}", File.ReadAllText(Path.Combine(Root, "specs", file)));

    private static string TinyMae => File.ReadAllText(Path.Combine(Root, "specs", "tiny-mae.avml"));

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void Every_spec_generates_code_that_compiles_and_matches_its_snapshot(string file)
    {
        // Every spec file is an AdditionalFile, as in a real project, so imports resolve.
        var all = Directory.GetFiles(Path.Combine(Root, "specs"), "*.avml").Select(f => Spec(Path.GetFileName(f))).ToArray();
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(all), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var sources = driver.GetRunResult().Results.Single().GeneratedSources
            .Where(s => s.HintName.EndsWith(".avml.g.cs", StringComparison.Ordinal) && s.SourceText.ToString().Contains($"from {file} ", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources) Snapshot.Match(source.HintName, source.SourceText.ToString());
    }

    [Fact]
    public void Output_is_byte_identical_across_runs_and_cultures()
    {
        string Generate()
        {
            var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.Driver(Spec("tiny-mae.avml")), GeneratorHarness.Compilation());
            return string.Join("\n", driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText));
        }
        var invariant = Generate();
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(invariant, Generate());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_bad_spec_is_reported_at_its_avml_location_with_the_check_code()
    {
        var text = TinyMae.Replace("depth: 2, dim: 64", "deptth: 2, dim: 64");
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/bad.avml", text)), GeneratorHarness.Compilation());

        var error = Assert.Single(diagnostics, d => d.Id == "AV0003");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        var span = error.Location.GetLineSpan();
        Assert.Equal("specs/bad.avml", span.Path);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("deptth"));
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.Equal(text.Split('\n')[line].IndexOf("deptth", StringComparison.Ordinal), span.StartLinePosition.Character);
        Assert.Contains("did you mean `depth`?", error.GetMessage());
        // No code is emitted for the bad spec, so the symptom is never a C# error.
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(output.SyntaxTrees, t => t.FilePath.EndsWith("TinyMae.avml.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_run_without_changes_is_entirely_cached()
    {
        var compilation = GeneratorHarness.Compilation();
        var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.Driver(Spec("tiny-mae.avml")), compilation);
        (driver, _, _) = GeneratorHarness.Run(driver, compilation.Clone());

        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void A_component_declared_in_the_users_project_is_usable_and_type_checked()
    {
        const string component = """
            using AvDsl.Runtime;
            using AvDsl.Runtime.Torch;
            namespace User;
            [Component("scaled")]
            public sealed class Scaled : AvDsl.Runtime.Nn.Module
            {
                private readonly double _factor;
                public Scaled(double factor = 2.0) => _factor = factor;
                public Tensor Forward(Tensor x) => x * _factor;
            }
            """;
        var spec = TinyMae.Replace("hidden = encoder(view.visible)", "hidden = scaled(encoder(view.visible), factor: 0.5)");
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/user.avml", spec)), GeneratorHarness.Compilation(component));

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "TinyMae.avml.g.cs").SourceText.ToString();
        Assert.Contains("using User;", generated);
        Assert.Contains("new Scaled(factor: config.HiddenScaled.Factor)", generated);

        var typo = spec.Replace("factor: 0.5", "factr: 0.5");
        var (_, _, typoDiagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/user.avml", typo)), GeneratorHarness.Compilation(component));
        Assert.Contains(typoDiagnostics, d => d.Id == "AV0003" && d.GetMessage().Contains("did you mean `factor`?"));
    }

    [Fact]
    public void A_loss_on_the_clean_patches_of_a_noised_value_is_a_reconstruction_that_hands_its_noise_to_a_sampler()
    {
        const string component = """
            using AvDsl.Runtime;
            using AvDsl.Runtime.Torch;
            namespace User;
            public sealed record NoisedPatches(Tensor Clean, Tensor Noised);
            [Component("noise_patches")]
            public sealed class NoisePatches : AvDsl.Runtime.Nn.Module
            {
                public NoisePatches(double scale = 1.0) => Scale = scale;
                public double Scale { get; }
                public NoisedPatches Forward(Tensor x) => new(x, x + Torch.RandnLike(x) * Scale);
            }
            """;
        var spec = TinyMae
            .Replace("target = patchify(audio, patch: 16)", "target = patchify(audio, patch: 16)\n    noised = noise_patches(target)")
            .Replace("loss recon = mse(pred[view.masked], target[view.masked])", "loss recon = mse(pred[view.masked], noised.clean[view.masked])");
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/user.avml", spec)), GeneratorHarness.Compilation(component));

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = Generated(driver, "TinyMae.avml.g.cs");
        Assert.Contains("new(\"recon\", batch[\"audio\"], outputs.View.Masked, outputs.Pred, TargetPatchify, Noise: NoisedNoisePatches),", generated);
        Assert.Contains("new(\"recon\", Input: \"audio\", Prediction: \"pred\", Target: \"noised.clean\", Mask: \"view.masked\", Noised: \"noised\"),", generated);
    }

    private static string Generated(GeneratorDriver driver, string hint) =>
        driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

    private static List<IncrementalStepRunReason> CompiledReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Compiled].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    [Fact]
    public void Editing_one_spec_recompiles_that_spec_alone()
    {
        var a = new AvmlText("specs/a.avml", TinyMae);
        var b = new AvmlText("specs/b.avml", TinyMae.Replace("spec TinyMae", "spec Other"));
        var compilation = GeneratorHarness.Compilation();
        var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.Driver(a, b), compilation);
        var before = Generated(driver, "TinyMae.avml.g.cs");

        driver = driver.ReplaceAdditionalText(b, new AvmlText("specs/b.avml", TinyMae.Replace("spec TinyMae", "spec Other").Replace("depth: 2,", "depth: 3,")));
        (driver, _, _) = GeneratorHarness.Run(driver, compilation);

        var reasons = CompiledReasons(driver);
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Equal(before, Generated(driver, "TinyMae.avml.g.cs"));
        Assert.Contains("Depth { get; init; } = 3;", Generated(driver, "Other.avml.g.cs"));
    }

    [Fact]
    public void A_comment_edit_leaves_the_emitted_spec_source_unchanged()
    {
        var original = new AvmlText("specs/a.avml", TinyMae);
        var compilation = GeneratorHarness.Compilation();
        var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.Driver(original), compilation);
        var before = Generated(driver, "TinyMae.avml.g.cs");

        var commented = TinyMae.Replace("heads: 4, mlp: 4, norm: pre)", "heads: 4, mlp: 4, norm: pre)  // try post-norm next");
        Assert.NotEqual(TinyMae, commented);
        driver = driver.ReplaceAdditionalText(original, new AvmlText("specs/a.avml", commented));
        (driver, _, _) = GeneratorHarness.Run(driver, compilation);

        Assert.Equal(before, Generated(driver, "TinyMae.avml.g.cs"));
    }

    [Fact]
    public void Every_mutated_spec_that_passes_check_also_compiles()
    {
        var random = new Random(7);
        var compilation = GeneratorHarness.Compilation();
        var clean = 0;
        for (var i = 0; i < 300; i++)
        {
            var text = AvDsl.Tests.Shared.SpecMutator.Mutate(TinyMae, random);
            var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/m.avml", text)), compilation);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) continue;
            clean++;
            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"mutant {i} passed check but does not compile:\n{string.Join("\n", errors)}\n--- spec ---\n{text}");
        }
        Assert.True(clean >= 10, $"only {clean} of 300 mutants passed check; the test would prove little");
    }

    [Fact]
    public void Output_is_the_same_in_any_checkout_folder()
    {
        string Generate(string checkout)
        {
            var options = new BuildProperties(new Dictionary<string, string> { ["build_property.AvDslSpecRoot"] = checkout });
            var driver = CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() },
                new[] { new AvmlText(checkout + "specs/tiny-mae.avml", TinyMae) }, optionsProvider: options);
            driver = (CSharpGeneratorDriver)driver.RunGenerators(GeneratorHarness.Compilation());
            return string.Join("\n", driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText));
        }

        var alice = Generate("/home/alice/avdsl/");
        Assert.Equal(alice, Generate("/srv/ci/checkout-42/"));
        Assert.Contains("#line 13 \"specs/tiny-mae.avml\"", alice);
        Assert.DoesNotContain("/home/alice", alice);
    }

    private sealed class BuildProperties(Dictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(values);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => _global;
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public static Options Empty { get; } = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    [Fact]
    public void A_video_input_read_from_a_manifest_compiles_with_its_shapes_followed()
    {
        const string spec = """
            spec Video {
              input video: frames(count: 4, fps: 2.0, size: 32)
              tubes = tubelet_embed_3d(tubelet: [2, 16, 16], dim: 48)
              pos = sincos_3d(dim: 48, grid: [2, 2, 2])
              encoder = transformer(depth: 1, dim: 48, heads: 4)
              flow {
                tokens = tubes(video) + pos()
                hidden = encoder(tokens)
              }
              loss l = mse(hidden, tokens)
              train { optimizer: adamw() lr: 1e-3 steps: 1 batch: 2 }
              data { train: manifest(path: "clips.csv") }
            }
            """;
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/video.avml", spec)), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = Generated(driver, "Video.avml.g.cs");
        Assert.Contains("var tokens = Tubes.Forward(video) + Pos.Forward(); // [B, 8, 48]", generated);
        Assert.Contains("public FramesFeature Video { get; init; } = new FramesFeature(Count: 4, Fps: 2.0, Size: 32);", generated);
        Assert.Contains("Features = [c.Video.For(\"video\")]", generated);
        // The feature kind prepares [3, T, S, S], the layout Conv3d takes: no permute in generated code.
        Assert.DoesNotContain("Permute", generated);

        var wrongGrid = spec.Replace("grid: [2, 2, 2]", "grid: [2, 2, 4]");
        var (_, _, mismatch) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/video.avml", wrongGrid)), GeneratorHarness.Compilation());
        Assert.Contains(mismatch, d => d.Id == "AV0020" && d.GetMessage().Contains("[B, 8, 48] and [1, 16, 48]"));
    }

    [Fact]
    public void Non_finite_skip_reaches_the_training_plan_and_stop_is_left_to_its_default()
    {
        var skip = TinyMae.Replace("    seed: 0\n", "    seed: 0\n    non_finite: skip\n");
        Assert.NotEqual(TinyMae, skip);
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/tiny-mae.avml", skip)), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = Generated(driver, "TinyMae.avml.g.cs");
        Assert.Contains("public NonFinitePolicy NonFinite { get; init; } = NonFinitePolicy.Skip;", generated);
        Assert.Contains("NonFinite = c.Train.NonFinite,", generated);

        var (plain, _, _) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/tiny-mae.avml", TinyMae)), GeneratorHarness.Compilation());
        Assert.DoesNotContain("NonFinite", Generated(plain, "TinyMae.avml.g.cs"));
    }

    [Fact]
    public void A_schedule_declared_in_the_users_project_works_like_a_built_in()
    {
        const string schedule = """
            using AvDsl.Runtime;
            using AvDsl.Runtime.Training;
            namespace User;
            [Schedule("halving")]
            public sealed class Halving(double start, long every = 10) : Schedule
            {
                public override double At(long step, long totalSteps) => start / System.Math.Pow(2, step / every);
            }
            """;
        var spec = TinyMae.Replace("ratio: 0.75", "ratio: halving(start: 0.8, every: 5)");
        Assert.Contains("halving(", spec);
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/user.avml", spec)), GeneratorHarness.Compilation(schedule));

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = Generated(driver, "TinyMae.avml.g.cs");
        Assert.Contains("public Schedule Ratio { get; init; } = new Halving(start: 0.8, every: 5L);", generated);
        Assert.Contains("view = random_mask(tokens, ratio: halving(start: 0.8, every: 5))", generated);

        var typo = spec.Replace("every: 5", "evry: 5");
        var (_, _, typoDiagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/user.avml", typo)), GeneratorHarness.Compilation(schedule));
        Assert.Contains(typoDiagnostics, d => d.Id == "AV0003" && d.GetMessage().Contains("did you mean `every`?"));
    }

    /// <summary>Strings reach generated code as literals, a raw resolved-spec text and doc comments: whatever they hold
    /// (quotes, backslashes, a `\n` that is two characters, comment markers), the program sees the same text.</summary>
    [Fact]
    public void Strings_with_quotes_backslashes_and_comment_markers_reach_the_program_unchanged()
    {
        const string tricky = @"say ""hi"" */ C:\temp\new /* \"" // end";
        var written = "\"" + tricky.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var spec = TinyMae.Replace("spec TinyMae {", "spec Strings {").Replace("title \"Tiny masked autoencoder on fbank\"", "title " + written)
            .Replace("synthetic_spectrograms()", $"manifest(path: {written})")
            + $"\nsweep Split of Strings {{\n  grid data.train.split in [{written}, \"b\"]\n}}\n";
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/strings.avml", spec)), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        using var image = new MemoryStream();
        Assert.True(output.Emit(image).Success);
        var assembly = System.Reflection.Assembly.Load(image.ToArray());

        object? Static(string type, string member) =>
            (object?)assembly.GetType("AvDsl.Specs." + type)!.GetProperty(member)?.GetValue(null) ?? assembly.GetType("AvDsl.Specs." + type)!.GetField(member)!.GetValue(null);
        var data = Static("StringsConfig", "Default")!.GetType().GetProperty("Data")!.GetValue(Static("StringsConfig", "Default"));
        Assert.Equal(tricky, data!.GetType().GetProperty("Path")!.GetValue(data));
        var resolved = (string)Static("StringsSpec", "ResolvedSpec")!;
        var title = Dsl.Parsing.SpecParser.Parse("resolved.avml", resolved).Specs.Single().Members.OfType<Dsl.Syntax.MetadataSyntax>().Single(m => m.Key == "title");
        Assert.Equal(tricky, title.Value.Value);
        var point = Static("Split_DataTrainSplitSayHiCTempNewEndSpec", "Config")!;
        var split = point.GetType().GetProperty("Data")!.GetValue(point)!;
        Assert.Equal(tricky, split.GetType().GetProperty("Split")!.GetValue(split));
    }

    /// <summary>A param is a property of the config that every argument following it reads, so a sweep over it is the
    /// base's model with another value: one property, as a researcher would write it by hand.</summary>
    [Fact]
    public void A_param_is_one_config_property_and_a_sweep_over_it_shares_the_model()
    {
        var spec = TinyMae.Replace("spec TinyMae {", "spec Width {")
            .Replace("  input audio:", "  param dim = 64\n  param grid = [16, 8]\n  param batch_size = 8\n\n  input audio:")
            .Replace("patch_embed_2d(patch: 16, dim: 64)", "patch_embed_2d(patch: 16, dim: dim)")
            .Replace("sincos_2d(dim: 64, grid: [16, 8])", "sincos_2d(dim: dim, grid: grid)")
            .Replace("transformer(depth: 2, dim: 64,", "transformer(depth: 2, dim: dim,")
            .Replace("mae_decoder(inputs: 64, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [16, 8])", "mae_decoder(inputs: dim, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [grid_rows, 8])")
            .Replace("  input audio:", "  param grid_rows = 16\n  input audio:")
            .Replace("target[view.masked])", "target[view.masked]) / sqrt(dim)")
            .Replace("    batch: 8\n", "    batch: batch_size\n")
            + "\nsweep Wider of Width {\n  grid dim in [128]\n}\n";
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/width.avml", spec)), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var generated = Generated(driver, "Width.avml.g.cs");
        Assert.Contains("public int Dim { get; init; } = 64;", generated);
        Assert.Contains("public int[] Grid { get; init; } = new int[] { 16, 8 };", generated);
        Assert.Contains("Patches = new PatchEmbed2d(patch: config.Patches.Patch, dim: config.Dim, channels: config.Patches.Channels);", generated);
        Assert.Contains("Pos = new SinCos2d(dim: config.Dim, grid: config.Grid);", generated);
        Assert.Contains("grid: new int[] { config.GridRows, 8 }, ", generated);
        Assert.Contains("BatchSize = c.BatchSize,", generated);
        Assert.Contains("/ System.Math.Sqrt(_config.Dim);", generated);
        Assert.DoesNotContain("public sealed record PosSettings", generated);
        var variant = Generated(driver, "Wider_Dim128.avml.g.cs");
        Assert.Contains("public static WidthConfig Config { get; } = WidthConfig.Default with\n    {\n        Dim = 128,\n    };", variant);
        Assert.DoesNotContain("class Wider_Dim128Model", variant);
        Snapshot.Match("Wider_Dim128.avml.g.cs", variant);
    }

    [Fact]
    public void A_scale_written_from_a_setting_stays_symbolic_in_generated_code()
    {
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(Spec("eat.avml")), GeneratorHarness.Compilation());

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var generated = Generated(driver, "Eat.avml.g.cs");
        // encoder.dim follows the param `dim`, so the scale reads the param.
        Assert.Contains("/ System.Math.Sqrt(_config.Dim);", generated);
        Assert.Contains("loss frame = mse(pred[view.masked], frames[view.masked], reduction: row_sum) / sqrt(encoder.dim)", generated);
    }
}
