using System.Diagnostics;
using System.Text;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Tests.Shared;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>Whatever the text, the outcome is success or located diagnostics: no exception, no hang.</summary>
public class RobustnessTests
{
    private static readonly string Seed = SpecText.Read("tiny-mae.avml");

    private static void AssertLocated(SpecFile file)
    {
        foreach (var d in file.Diagnostics)
        {
            Assert.InRange(d.Line, 1, file.Source.LineCount);
            Assert.InRange(d.Span.Start, 0, file.Source.Text.Length);
            Assert.InRange(d.Span.End, d.Span.Start, file.Source.Text.Length);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
            Assert.DoesNotContain("the end of the", d.Message);
            // The renderer must cope with every diagnostic too.
            Assert.StartsWith($"{d.Path}:{d.Line}:{d.Column}:", DiagnosticRenderer.Render(d, file.Source));
        }
    }

    [Fact]
    public void Ten_thousand_mutated_specs_give_success_or_located_diagnostics()
    {
        var random = new Random(20261122);
        var outcomes = new Dictionary<string, int>();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 10_000; i++)
        {
            var text = SpecMutator.Mutate(Seed, random);
            var clock = Stopwatch.StartNew();
            SpecFile file;
            try
            {
                file = SpecCompiler.Compile($"mutant-{i}.avml", text, TestCatalog.Instance);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"mutant {i} threw {e.GetType().Name}: {e.Message}\n--- text ---\n{text}");
            }
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            AssertLocated(file);
            if (file.HasErrors) Assert.Empty(file.Specs);
            var key = file.HasErrors ? file.Diagnostics.First(d => d.IsError).Code : "ok";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        // Most mutations break the spec, a few are harmless (inside a comment, say); both kinds occur.
        Assert.True(outcomes.GetValueOrDefault("ok") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("AV0001") > 1000, string.Join(", ", outcomes));
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"slowest mutant took {slowest}");
    }

    [Fact]
    public void Ten_thousand_deep_nesting_is_a_diagnostic()
    {
        foreach (var open in new[] { "(", "[", "{" })
        {
            var text = "spec A {\n flow {\n  x = " + string.Concat(Enumerable.Repeat(open, 10_000)) + "\n }\n}\n";
            var file = SpecCompiler.Compile("deep.avml", text, TestCatalog.Instance);
            AssertLocated(file);
            Assert.Contains(file.Diagnostics, d => d.Message.Contains("nested more than"));
        }
    }

    [Fact]
    public void A_ten_megabyte_file_is_parsed_with_located_diagnostics()
    {
        var builder = new StringBuilder();
        var index = 0;
        while (builder.Length < 10_000_000)
        {
            builder.Append(Seed.Replace("spec TinyMae", $"spec TinyMae{index++}"));
            builder.Append('\n');
        }
        builder.Append("spec Broken {\n  x = = 1\n}\n");
        var file = SpecCompiler.Compile("big.avml", builder.ToString(), TestCatalog.Instance);

        AssertLocated(file);
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal(file.Source.LineCount - 2, error.Line);
    }
}
