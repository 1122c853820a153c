using AvDsl.Dsl;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Specs;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>Against the real catalog (Runtime's [Constraint]s): random specs within the constraints check clean, and
/// each kind of violation, with random values, is rejected with a located AV0023 — never accepted, never a crash.</summary>
public class ConstraintPropertyTests
{
    private static SpecFile Compile(string text) => SpecCompiler.Compile("random.avml", text, SpecCatalog.Components);

    /// <summary>A way to break one rule: what it does, and the edit (with a random whole number 1..100 to use).</summary>
    private static readonly (string What, Func<RandomSpec, int, RandomSpec> Break)[] Violations =
    {
        ("heads that do not divide dim", (s, r) => s with { Heads = s.Dim + 1 + r % 3 }),
        ("a ratio of 1 or more", (s, r) => s with { Ratio = 1.0 + r / 100.0 }),
        ("a ratio of 0 or less", (s, r) => s with { Ratio = -(r - 1) / 100.0 }),
        ("a ratio that keeps no token", (s, r) => s with { Ratio = 1.0 - 0.99 / (s.Frames / s.Patch * (s.Mel / s.Patch)) }),
        ("no encoder blocks", (s, r) => s with { Depth = -(r % 3) }),
        ("a beta of 1 or more", (s, r) => s with { Beta2 = 1.0 + r / 1000.0 }),
        ("a negative beta", (s, r) => s with { Beta1 = -r / 100.0 }),
        ("a clip bound of 0 or less", (s, r) => s with { Clip = -(r % 5) }),
        ("a negative learning rate", (s, r) => s with { Peak = -r * 1e-4 }),
        ("a warm-up longer than the run", (s, r) => s with { Warmup = s.Steps + r }),
        ("decoder heads that do not divide its dim", (s, r) => s with { DecoderHeads = s.DecoderDim + 1 + r % 3 }),
        ("a non-positive mlp", (s, r) => s with { Mlp = -(r % 3) }),
    };

    [Fact]
    public void Random_specs_within_the_constraints_check_clean()
    {
        Prop.ForAll(RandomSpec.Valid.ToArbitrary(), spec =>
        {
            var file = Compile(spec.Text);
            return (!file.HasErrors).Label(string.Join("\n", file.Diagnostics) + "\n" + spec.Text);
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Known to run, not only to check: three random specs per file, compiled in process as any spec file is,
    /// each trained one step on synthetic spectrograms (two files, six specs: a compile takes seconds).</summary>
    [Fact]
    public void Random_specs_within_the_constraints_train_one_step()
    {
        using var temp = new TempFolder();
        var file = 0;
        Prop.ForAll(Gen.ListOf(RandomSpec.Valid, 3).ToArbitrary(), specs =>
        {
            var path = Path.Combine(temp.Path, $"random{file++}.avml");
            File.WriteAllText(path, string.Concat(specs.Select((s, i) => s.Named($"Random{i}"))));
            var cli = new CapturedCli();
            var compiled = cli.SpecsCachedIn(Path.Combine(temp.Path, "cache")).ResolveAll(path);
            if (compiled.Count != 3) return false.Label(cli.Error + File.ReadAllText(path));
            foreach (var spec in compiled)
            {
                var result = AvDsl.Runtime.Training.Trainer.Run(spec.Plan(),
                    new AvDsl.Runtime.Training.RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 1));
                if (!double.IsFinite(Assert.Single(result.Steps).Loss)) return false.Label($"{spec.Name}: loss {result.Steps[0].Loss}\n{spec.ResolvedSpec}");
            }
            return true.Label("");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2));
    }

    [Fact]
    public void Every_kind_of_violation_is_rejected_with_a_located_error()
    {
        var cases =
            from spec in RandomSpec.Valid
            from kind in Gen.Choose(0, Violations.Length - 1)
            from amount in Gen.Choose(1, 100)
            select (Kind: kind, Text: Violations[kind].Break(spec, amount).Text);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var file = Compile(c.Text);
            var lines = c.Text.Split('\n').Length;
            var located = file.Diagnostics.All(d => d.Line >= 1 && d.Line <= lines && d.Column >= 1);
            var rejected = file.Diagnostics.Any(d => d.Code == DiagnosticCodes.Constraint.Code);
            return (located && rejected && file.Specs.Count == 0)
                .Label($"{Violations[c.Kind].What}:\n{string.Join("\n", file.Diagnostics)}\n{c.Text}");
        }).QuickCheckThrowOnFailure();
    }
}
