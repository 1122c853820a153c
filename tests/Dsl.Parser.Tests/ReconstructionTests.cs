using AvDsl.Dsl.Model;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>The binder recognises the losses that reconstruct an input (<see cref="ReconstructionModel"/>): a comparison of
/// predicted patches with an input's patches (or a noised value's clean patches) at the same mask; other losses are not.</summary>
public class ReconstructionTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private const string Recon = "  loss recon = mse(pred[view.masked], target[view.masked])\n";

    /// <summary>The tiny spec with its loss replaced by <paramref name="loss"/> and <paramref name="flow"/> added to its flow.</summary>
    private static Spec Compile(string loss, string flow = "")
    {
        Assert.Contains(Recon, TinyMae);
        var text = TinyMae.Replace(Recon, loss).Replace("    target = patchify(audio, patch: 16)", "    target = patchify(audio, patch: 16)\n" + flow);
        var file = SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        return Assert.Single(file.Specs);
    }

    [Fact]
    public void An_mae_loss_on_patchified_input_is_a_reconstruction_of_that_input()
    {
        var spec = Compile(Recon);

        var term = Assert.Single(spec.Reconstructions);
        Assert.Equal(("recon", "audio", "target_patchify", null), (term.Loss, term.Input, term.Patches, term.Noised));
        Assert.Equal(new ValueRef("pred", "AvDsl.Runtime.Torch.Tensor"), term.Prediction);
        Assert.Equal("view.masked", SpecPrinter.Expression(term.Mask, spec));
        Assert.Equal("target", SpecPrinter.Expression(term.Target, spec));
    }

    [Theory]
    [InlineData("  loss recon = 0.5 * mse(pred[view.masked], target[view.masked]) / sqrt(64)\n")]
    [InlineData("  loss recon = mse(pred[view.masked], target[view.masked]) * 2\n")]
    public void A_reconstruction_scaled_by_numbers_is_still_one(string loss) =>
        Assert.Equal("recon", Assert.Single(Compile(loss).Reconstructions).Loss);

    [Fact]
    public void The_target_may_be_cut_in_the_loss_itself_or_named_through_other_values()
    {
        var inline = Assert.Single(Compile("  loss recon = mse(pred[view.masked], patchify(audio, patch: 16)[view.masked])\n").Reconstructions);
        Assert.Equal(("audio", "recon_patchify"), (inline.Input, inline.Patches));

        var renamed = Assert.Single(Compile("  loss recon = mse(pred[view.masked], again[view.masked])\n", "    again = target\n").Reconstructions);
        Assert.Equal(("audio", "target_patchify"), (renamed.Input, renamed.Patches));
    }

    [Theory]
    [InlineData("  loss recon = mse(pred[view.masked], target[other.masked])\n", "    other = random_mask(tokens, ratio: 0.5)\n")] // two masks
    [InlineData("  loss recon = mse(pred, target)\n", "")]                                                                          // no mask
    [InlineData("  loss recon = mse(pred[view.masked], twice[view.masked])\n", "    twice = target + target\n")]                    // not the patches
    [InlineData("  loss recon = mse(decoder(hidden, view)[view.masked], target[view.masked])\n", "")]                             // a prediction not among the flow values
    [InlineData("  loss recon = mse(pred[view.masked], target[view.masked]) + mse(pred, target)\n", "")]                         // a sum of terms
    public void Other_losses_are_not_reconstructions(string loss, string flow) =>
        Assert.Empty(Compile(loss, flow).Reconstructions);

    [Fact]
    public void The_clean_patches_of_a_noised_value_are_a_reconstruction_through_that_value()
    {
        const string noise = "    noised = noise_patches(target, view)\n";

        var spec = Compile("  loss recon = mse(pred[view.masked], noised.clean[view.masked])\n", noise);

        var term = Assert.Single(spec.Reconstructions);
        Assert.Equal(("recon", "audio", "target_patchify", "noised", "noised_noise_patches"), (term.Loss, term.Input, term.Patches, term.Noised, term.Noise));
        Assert.Equal("noised.clean", SpecPrinter.Expression(term.Target, spec));
        // The noised patches themselves are not what the input was.
        Assert.Empty(Compile("  loss recon = mse(pred[view.masked], noised.noised[view.masked])\n", noise).Reconstructions);
    }

    [Fact]
    public void Each_reconstruction_loss_is_found_in_the_spec_s_order()
    {
        var spec = Compile(Recon + "  loss again = mse(pred[view.masked], target[view.masked])\n  loss plain = mse(pred, target)\n");
        Assert.Equal(new[] { "recon", "again" }, spec.Reconstructions.Select(r => r.Loss));
    }
}
