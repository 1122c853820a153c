using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>Replay buffers: <c>memory = replay_buffer(size, stores)</c>, drawn from with <c>memory.sample(x)</c> and read as
/// <c>past.audio</c>; what a buffer stores must be one row per sample of the step's own batch, of one shape.</summary>
public class ReplayBufferBindingTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    // ER and a DER++-style penalty on the tiny MAE: train on current + replayed clips, and keep the replayed clips'
    // embeddings near the ones stored with them.
    private const string Memory = "  memory = replay_buffer(size: 200, stores: [audio, embed])\n";
    private const string Flow = """
            past   = memory.sample(audio)
            both   = concat_batch(audio, past.audio)
            tokens = patches(both) + pos()
            view   = random_mask(tokens, ratio: 0.75)
            hidden = encoder(view.visible)
            pred   = decoder(hidden, view)
            target = patchify(both, patch: 16)
            embed  = mean_tokens(encoder(patches(audio) + pos()))
            again  = mean_tokens(encoder(patches(past.audio) + pos()))
        """;
    private const string Der = "  loss der = 0.5 * mse(again, past.embed)\n";

    private static SpecFile Compile(string memory = Memory, string flow = Flow, string der = Der)
    {
        var start = TinyMae.IndexOf("  flow {\n", System.StringComparison.Ordinal) + "  flow {\n".Length;
        var end = TinyMae.IndexOf("  }\n\n  loss recon", System.StringComparison.Ordinal);
        var text = TinyMae[..start] + flow + "\n" + TinyMae[end..];
        text = text.Replace("  flow {\n", memory + "\n  flow {\n").Replace("  loss recon", der + "  loss recon");
        return SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
    }

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    [Fact]
    public void A_buffer_stores_inputs_and_flow_values_and_its_draws_are_read_by_field()
    {
        var file = Compile();
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError || d.Code == DiagnosticCodes.UnusedValue.Code);
        var spec = Assert.Single(file.Specs);
        var replay = Assert.Single(spec.Replays);
        Assert.Equal(("memory", 200L), (replay.Name, replay.Size));
        Assert.Equal(new[] { new ReplayStoreModel("audio", true, new long[] { 256, 128 }.ToEquatableArray()), new ReplayStoreModel("embed", false, new long[] { 64 }.ToEquatableArray()) },
            replay.Stores);
        var past = spec.Flow.Single(v => v.Name == "past");
        Assert.Equal(new ReplayDraw("memory", new InputRef("audio", "AvDsl.Runtime.Torch.Tensor")), past.Value);
        // The replayed rows are R more: the concatenation is [B + R, …] and everything after it follows.
        Assert.Equal("[B+R, 256, 128]", spec.Flow.Single(v => v.Name == "both").Shape);
        Assert.Equal("[R, 64]", spec.Flow.Single(v => v.Name == "again").Shape);
    }

    [Fact]
    public void The_printed_spec_keeps_the_buffer_and_binds_back_to_an_equal_model()
    {
        var spec = Assert.Single(Compile().Specs);
        var printed = SpecPrinter.Print(spec);
        Assert.Contains("  memory = replay_buffer(size: 200, stores: [audio, embed])\n", printed);
        Assert.Contains("    past = memory.sample(audio)\n", printed);
        Assert.Contains("    both = concat_batch(audio, past.audio)\n", printed);
        Assert.Contains("  loss der = 0.5 * mse(again, past.embed)\n", printed);
        var again = Assert.Single(SpecCompiler.Compile("spec.avml", printed, TestCatalog.Instance).Specs);
        Assert.Equal(printed, SpecPrinter.Print(again));
        Assert.Equal(spec.Replays.Select(r => (r.Name, r.Size, r.Stores)), again.Replays.Select(r => (r.Name, r.Size, r.Stores)));
    }

    [Theory]
    [InlineData("  memory = replay_buffer(size: 200, stores: [audio, hidden])\n", "hidden",
        "`hidden` is [B+R, K, 64], not one row per sample of the step's batch [B, …]")]
    [InlineData("  memory = replay_buffer(size: 200, stores: [audio, view])\n", "view", "`view` is not a tensor, so a buffer cannot store it")]
    [InlineData("  memory = replay_buffer(size: 200, stores: [audio, embedd])\n", "embedd", "`embedd` is not an input or a flow value")]
    [InlineData("  memory = replay_buffer(size: 0, stores: [audio])\n", "0", "`size` must be a whole number of samples, at least 1")]
    [InlineData("  memory = replay_buffer(size: 200, stores: [audio, audio])\n", "audio", "`audio` is listed twice in `stores`")]
    [InlineData("  memory = replay_buffer(size: 200)\n", "replay_buffer", "`replay_buffer` needs `stores`")]
    [InlineData("  memory = replay_buffer(size: 200, store: [audio])\n", "store", "`replay_buffer` has no argument `store`")]
    public void A_wrong_declaration_is_a_located_error(string memory, string span, string message)
    {
        var file = Compile(memory);
        var d = file.Diagnostics.First(x => x.IsError);
        Assert.Equal(span, SpanText(file, d));
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void A_stored_value_whose_size_follows_the_masking_is_refused()
    {
        var file = Compile(Memory.Replace("embed]", "kept]"), Flow + "    kept   = encoder(view.visible)\n", Der);
        // `kept` is computed on the current + replayed batch, so the first complaint is its rows.
        var d = file.Diagnostics.First(x => x.IsError);
        Assert.Equal("kept", SpanText(file, d));
    }

    [Fact]
    public void Each_store_that_cannot_be_kept_is_reported_and_none_after_it_is_called_unused()
    {
        var file = Compile(Memory.Replace("[audio, embed]", "[kept, audio, embed, other]"),
            Flow + "    kept   = encoder(view.visible)\n    other  = encoder(view.visible)\n", Der);
        Assert.Equal(new[] { "kept", "other" }, file.Diagnostics.Where(d => d.IsError).Select(d => SpanText(file, d)));
        Assert.DoesNotContain(file.Diagnostics, d => d.Code == DiagnosticCodes.UnusedValue.Code);
        Assert.Empty(file.Specs.SelectMany(s => s.Replays));
    }

    [Theory]
    [InlineData("past.embd", "embd", "replay buffer `memory` stores no `embd`", "did you mean `embed`?")]
    [InlineData("memory.draw(audio).embed", "draw", "replay buffer `memory` has no call `.draw`", "draw as many samples as a batch has rows: `memory.sample(audio)`")]
    public void A_wrong_read_is_a_located_error(string read, string span, string message, string help)
    {
        var file = Compile(der: $"  loss der = 0.5 * mse(again, {read})\n");
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal(span, SpanText(file, d));
        Assert.Equal(message, d.Message);
        Assert.Equal(help, d.Help);
    }

    [Fact]
    public void A_buffer_that_is_never_sampled_is_a_warning()
    {
        var file = Compile(Memory, Flow.Replace("past   = memory.sample(audio)", "past   = patches(audio)").Replace("both   = concat_batch(audio, past.audio)", "both   = audio")
            .Replace("patches(past.audio)", "patches(audio)"), "  loss der = 0.5 * mse(again, embed)\n");
        Assert.Contains(file.Diagnostics, d => d.Code == DiagnosticCodes.UnusedComponent.Code && d.Message == "replay buffer `memory` is stored into but never sampled");
    }
}
