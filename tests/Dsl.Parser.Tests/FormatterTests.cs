using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Parsing;
using AvDsl.Dsl.Syntax;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class FormatterTests
{
    private static string Format(string text)
    {
        var syntax = SpecParser.Parse("f.avml", text);
        Assert.True(syntax.Diagnostics.Count == 0, string.Join("\n", syntax.Diagnostics) + "\n" + text);
        return SpecFormatter.Format(syntax);
    }

    private static IReadOnlyList<Model.Spec> Bind(string text)
    {
        var file = SpecCompiler.Compile("f.avml", text, TestCatalog.Instance);
        Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics) + "\n" + text);
        return file.Specs;
    }

    private static List<string> Comments(string text) =>
        Comment.Scan(text, 0).Select(c => c.Text.TrimStart('/', '*').TrimEnd('/', '*').Trim()).ToList();

    public static TheoryData<string> RepositorySpecs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(SpecText.RepositoryRoot, "specs"), "*.avml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RepositorySpecs))]
    public void Repository_specs_are_already_formatted(string name)
    {
        var text = SpecText.Read(name);
        Assert.Equal(text, Format(text));
    }

    [Fact]
    public void Messy_layout_becomes_canonical_and_keeps_every_comment()
    {
        var messy = """
            // head
            spec   A{title "t" // trailing
            input audio:fbank( mel:8,frames:16 )
              patches=patch_embed_2d(patch:8,dim:4) /* inside */ encoder = transformer(depth: 1, dim: 4, heads: 1)


              flow{tokens=patches( audio )
            hidden = encoder((tokens))}
              loss l = mse(hidden,hidden)*2+-1
              train{optimizer:adamw() lr:1e-3 steps:1 batch:1}
              data { train: synthetic_spectrograms() }
              // closing
            }
            sweep S of A { grid encoder.depth in [1,2] }
            """;
        var formatted = Format(messy);

        Assert.Equal("""
            // head
            spec A {
              title "t"                                   // trailing
              input audio: fbank(mel: 8, frames: 16)
              patches = patch_embed_2d(patch: 8, dim: 4)  /* inside */
              encoder = transformer(depth: 1, dim: 4, heads: 1)

              flow {
                tokens = patches(audio)
                hidden = encoder(tokens)
              }
              loss l = mse(hidden, hidden) * 2 + -1
              train {
                optimizer: adamw()
                lr: 1e-3
                steps: 1
                batch: 1
              }
              data {
                train: synthetic_spectrograms()
              }
              // closing
            }

            sweep S of A {
              grid encoder.depth in [1, 2]
            }

            """, formatted);
        Assert.Equal(Comments(messy), Comments(formatted));
        Assert.Equal(formatted, Format(formatted));
    }

    [Fact]
    public void Parentheses_are_kept_exactly_where_the_tree_needs_them()
    {
        foreach (var expression in new[] { "a - (b - c)", "(a + b) * c", "a / (b * c)", "-(a + b)", "a * b + c", "(-2).x", "f(a)[m].y" })
        {
            var text = $"spec A {{\n  flow {{\n    x = {expression}\n  }}\n}}\n";
            var binding = SpecParser.Parse("e.avml", text).Specs[0].Members.OfType<FlowSyntax>().Single().Bindings[0];
            Assert.Equal(expression, SpecFormatter.Expression(binding.Value));
        }
    }

    /// <summary>Generated specs with comments and blank lines sprinkled between statements.</summary>
    private static Gen<string> SpecsWithComments() =>
        from spec in SpecPrinterTests.Specs()
        from seed in Gen.Choose(0, int.MaxValue)
        select Sprinkle(spec, new Random(seed));

    private static string Sprinkle(string spec, Random random)
    {
        var lines = spec.Split('\n').ToList();
        for (var i = lines.Count - 1; i > 0; i--)
        {
            switch (random.Next(6))
            {
                case 0: lines.Insert(i, "// note " + i); break;
                case 1: lines.Insert(i, ""); break;
                case 2: lines[i - 1] += " // end " + i; break;
                case 3: lines[i] = "   " + lines[i].Trim(); break;
            }
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public void Format_is_idempotent_and_keeps_the_meaning_and_the_comments()
    {
        Prop.ForAll(SpecsWithComments().ToArbitrary(), text =>
        {
            var formatted = Format(text);
            return Format(formatted) == formatted
                && Bind(formatted).Select(Model.SpecPrinter.Print).SequenceEqual(Bind(text).Select(Model.SpecPrinter.Print))
                && Comments(formatted).SequenceEqual(Comments(text));
        }).QuickCheckThrowOnFailure();
    }
}
