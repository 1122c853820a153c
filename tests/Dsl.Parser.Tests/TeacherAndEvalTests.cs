using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>EMA teachers (<c>ema(of: …)</c> and <c>teacher.encoder(x)</c>), further calls (<c>encoder.layers(x)</c>)
/// and the <c>eval { embed: … }</c> block.</summary>
public class TeacherAndEvalTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private const string Teacher = "  teacher = ema(of: [patches, encoder], decay: linear(from: 0.999, to: 0.9999, over: 100))\n";
    private const string TeacherFlow = "    layers = teacher.encoder.layers(teacher.patches(audio) + pos())\n";

    /// <summary>The tiny spec with a teacher whose final output joins the loss, plus <paramref name="extra"/> text.</summary>
    private static SpecFile Compile(string teacher = Teacher, string flow = TeacherFlow, string loss = "  loss distill = mse(hidden, hidden)\n", string extra = "")
    {
        var text = TinyMae
            .Replace("  flow {\n", teacher + "\n  flow {\n")
            .Replace("    target = patchify(audio, patch: 16)", flow + "    target = patchify(audio, patch: 16)")
            .Replace("  loss recon", loss + "  loss recon")
            .Replace("  data {", extra + "  data {");
        return SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
    }

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    [Fact]
    public void A_teacher_copies_components_and_its_copies_are_called_in_the_flow()
    {
        var file = Compile(loss: "  loss distill = mse(encoder(tokens), layers.output)\n");

        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var spec = Assert.Single(file.Specs);
        var teacher = Assert.IsType<EmaTeacherModel>(Assert.Single(spec.Teachers));
        Assert.Equal(new[] { "patches", "encoder" }, teacher.Of);
        Assert.Equal("linear", teacher.Decay.Kind);
        var layers = Assert.IsType<Invoke>(spec.Flow.Single(f => f.Name == "layers").Value);
        Assert.Equal(("encoder", "layers", "teacher"), (layers.Instance, layers.Method, layers.Teacher));
        Assert.Equal("AvDsl.Runtime.Nn.TransformerLayers", layers.Type);
        var tokens = Assert.IsType<Binary>(layers.Inputs[0]);
        Assert.Equal(("patches", null, "teacher"), (((Invoke)tokens.Left).Instance, ((Invoke)tokens.Left).Method, ((Invoke)tokens.Left).Teacher));
    }

    [Fact]
    public void The_printed_spec_keeps_the_teacher_and_binds_back_to_an_equal_model()
    {
        var spec = Assert.Single(Compile(loss: "  loss distill = mse(encoder(tokens), layers.output)\n").Specs);
        var printed = SpecPrinter.Print(spec);
        Assert.Contains("teacher = ema(of: [patches, encoder], decay: linear(from: 0.999, to: 0.9999, over: 100))", printed);
        Assert.Contains("layers = teacher.encoder.layers(teacher.patches(audio) + pos())", printed);
        var again = Assert.Single(SpecCompiler.Compile("spec.avml", printed, TestCatalog.Instance).Specs);
        Assert.Equal(printed, SpecPrinter.Print(again));
        Assert.Equal(spec.Teachers.Cast<EmaTeacherModel>().Select(t => (t.Of, t.Decay)), again.Teachers.Cast<EmaTeacherModel>().Select(t => (t.Of, t.Decay)));
    }

    [Fact]
    public void A_teacher_has_no_copy_of_what_it_does_not_list()
    {
        var file = Compile(flow: "    copy = teacher.pos()\n", loss: "  loss distill = mse(copy, copy)\n");
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal(DiagnosticCodes.UnknownMember.Code, d.Code);
        Assert.Equal("pos", SpanText(file, d));
        Assert.Equal("teacher `teacher` has no copy of `pos`", d.Message);
        Assert.Equal("it copies `patches`, `encoder`", d.Help);
    }

    [Fact]
    public void An_unknown_further_call_suggests_the_near_miss()
    {
        var file = Compile(flow: "    layers = encoder.layrs(tokens)\n", loss: "  loss distill = mse(hidden, layers.output)\n");
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal("layrs", SpanText(file, d));
        Assert.Equal("component `transformer` has no call `.layrs`", d.Message);
        Assert.Equal("did you mean `layers`?", d.Help);
    }

    [Fact]
    public void A_teacher_needs_existing_components_and_a_decay()
    {
        var unknown = Compile(teacher: "  teacher = ema(of: [patches, encodr], decay: 0.999)\n");
        var d = Assert.Single(unknown.Diagnostics, x => x.IsError);
        Assert.Equal("encodr", SpanText(unknown, d));
        Assert.Equal("did you mean `encoder`?", d.Help);

        var missing = Compile(teacher: "  teacher = ema(of: [patches, encoder])\n");
        Assert.Contains(missing.Diagnostics, x => x.IsError && x.Message == "`ema` needs `decay`");
    }

    [Fact]
    public void An_unused_teacher_is_a_warning()
    {
        var file = Compile(flow: "", loss: "");
        var d = Assert.Single(file.Diagnostics);
        Assert.False(d.IsError);
        Assert.Equal("teacher `teacher` is never used", d.Message);
    }

    [Fact]
    public void Eval_embed_binds_over_inputs_and_components()
    {
        var file = Compile(extra: "  eval {\n    embed: mean_tokens(encoder(patches(audio) + pos()))\n  }\n\n");
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var spec = Assert.Single(file.Specs);
        Assert.Equal(["embed"], spec.Eval!.Embeddings);
        var embed = Assert.IsType<Invoke>(spec.Eval.Value("embed").Value);
        Assert.Equal("embed_mean_tokens", embed.Instance);
        Assert.Contains("eval {\n    embed: mean_tokens(encoder(patches(audio) + pos()))\n  }", SpecPrinter.Print(spec));
    }

    [Fact]
    public void Eval_embed_cannot_use_flow_values_and_must_pool()
    {
        var flowValue = Compile(extra: "  eval {\n    embed: mean_tokens(hidden)\n  }\n\n");
        var d = Assert.Single(flowValue.Diagnostics, x => x.IsError);
        Assert.Equal("hidden", SpanText(flowValue, d));
        Assert.StartsWith("`hidden` is a flow value", d.Message);

        var unpooled = Compile(extra: "  eval {\n    embed: encoder(patches(audio) + pos())\n  }\n\n");
        var u = Assert.Single(unpooled.Diagnostics, x => x.IsError);
        Assert.Equal("`embed` must give one vector per clip, [B, D], found [B, 128, 64]", u.Message);
    }

    [Fact]
    public void Diff_lists_teacher_group_and_eval_changes()
    {
        var before = Assert.Single(Compile(extra: "  eval {\n    embed: mean_tokens(encoder(patches(audio) + pos()))\n  }\n\n").Specs);
        var after = Assert.Single(Compile(
            teacher: "  teacher = ema(of: [patches, encoder], decay: linear(from: 0.99, to: 0.9999, over: 100))\n",
            extra: "  eval {\n    embed: mean_tokens(patches(audio))\n  }\n\n").Specs);
        var changes = SpecDiff.Compare(before, after).Select(c => c.ToString()).ToList();
        Assert.Contains("~ teacher.decay.from: 0.999 -> 0.99", changes);
        Assert.Contains("~ eval.embed: mean_tokens(encoder(patches(audio) + pos())) -> mean_tokens(patches(audio))", changes);
    }

    private const string NamedEmbeddings =
        "  eval {\n" +
        "    tokens = encoder(patches(audio) + pos())\n" +
        "    embed mean_clip = mean_tokens(tokens)\n" +
        "    embed first_clip = mean_tokens(drop_cls(tokens))\n" +
        "    retrieval: [mean_clip, first_clip]\n" +
        "  }\n\n";

    [Fact]
    public void Eval_values_are_computed_once_and_several_named_embeddings_read_them()
    {
        var file = Compile(teacher: "", flow: "", extra: NamedEmbeddings);

        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var eval = Assert.Single(file.Specs).Eval!;
        Assert.Equal(["tokens", "mean_clip", "first_clip"], eval.Values.Select(v => v.Name));
        Assert.Equal(["mean_clip", "first_clip"], eval.Embeddings);
        Assert.Equal("mean_clip", eval.DefaultEmbedding);
        Assert.Equal(["mean_clip", "first_clip"], eval.Retrieval);
        Assert.Equal("[B, 128, 64]", eval.Value("tokens").Shape);
        Assert.Equal(["tokens", "first_clip"], eval.Closure("first_clip").Select(v => v.Name));
        Assert.Equal(["audio"], eval.Inputs("first_clip", ["audio"]));
        var printed = SpecPrinter.Print(Assert.Single(file.Specs));
        Assert.Contains("    embed mean_clip = mean_tokens(tokens)\n    embed first_clip = mean_tokens(drop_cls(tokens))\n    retrieval: [mean_clip, first_clip]\n", printed);
    }

    [Fact]
    public void Eval_values_have_their_own_names_and_a_value_nothing_reads_is_a_warning()
    {
        // `hidden` is a flow value too: eval's own `hidden` does not clash with it, and the flow's is still used.
        var file = Compile(teacher: "", flow: "", extra: "  eval {\n    hidden = encoder(patches(audio) + pos())\n    spare = patches(audio)\n    embed clip = mean_tokens(hidden)\n  }\n\n");

        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal("eval value `spare` is never used", warning.Message);
        Assert.Equal("spare", SpanText(file, warning));
    }

    [Fact]
    public void Retrieval_names_two_embeddings_of_one_width()
    {
        var unknown = Compile(teacher: "", flow: "", extra: NamedEmbeddings.Replace("retrieval: [mean_clip, first_clip]", "retrieval: [mean_clip, tokens]"));
        var d = Assert.Single(unknown.Diagnostics, x => x.IsError);
        Assert.Equal("`tokens` is not an embedding of `eval`", d.Message);
        Assert.Equal("tokens", SpanText(unknown, d));

        var one = Compile(extra: NamedEmbeddings.Replace("retrieval: [mean_clip, first_clip]", "retrieval: [mean_clip]"));
        Assert.Equal("`retrieval` must list two embeddings", Assert.Single(one.Diagnostics, x => x.IsError).Message);

        var wide = Compile(extra: NamedEmbeddings.Replace("mean_tokens(drop_cls(tokens))", "concat_features(mean_tokens(drop_cls(tokens)), mean_tokens(tokens))"));
        var w = Assert.Single(wide.Diagnostics, x => x.IsError);
        Assert.Equal("`retrieval` compares `mean_clip` [B, 64] with `first_clip` [B, 128] by cosine similarity, so their widths must agree", w.Message);
    }

    [Fact]
    public void An_eval_block_without_an_embedding_or_with_a_value_called_embed_is_an_error()
    {
        var none = Compile(extra: "  eval {\n    tokens = encoder(patches(audio) + pos())\n  }\n\n");
        Assert.Equal("`eval` declares no embedding", Assert.Single(none.Diagnostics, x => x.IsError).Message);

        var named = Compile(extra: "  eval {\n    embed: mean_tokens(encoder(patches(audio) + pos()))\n    embed = mean_tokens(patches(audio))\n  }\n\n");
        var d = Assert.Single(named.Diagnostics, x => x.IsError);
        Assert.Equal("`embed` names the embedding of `embed: …` in `eval`", d.Message);
        Assert.Equal("embed", SpanText(named, d));
    }

    [Fact]
    public void A_child_spec_replaces_an_inherited_eval_value_by_name()
    {
        var text = TinyMae.Replace("  data {", NamedEmbeddings + "  data {") +
            "\nspec Child extends TinyMae {\n  eval {\n    tokens = encoder(patches(audio))\n  }\n}\n";
        var file = SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);

        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var child = file.Specs.Single(s => s.Name == "Child").Eval!;
        Assert.Equal(["tokens", "mean_clip", "first_clip"], child.Values.Select(v => v.Name));
        Assert.Equal("encoder(patches(audio))", SpecPrinter.Expression(child.Value("tokens").Value, file.Specs.Single(s => s.Name == "Child"), arguments: false));
    }
}
