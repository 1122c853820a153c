using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>eval { finetune: finetune(…) }</c>: EAT's fine-tuning recipe as spec settings, checked as any call is.</summary>
public class FineTuneRecipeTests
{
    private static string Spec(TempFolder temp, string recipe)
    {
        var path = Path.Combine(temp.Path, "recipe.avml");
        File.WriteAllText(path, $"import \"{Repository.Spec("tiny-mae.avml")}\"\n\nspec Recipe extends TinyMae {{\n  eval {{\n" +
                                $"    embed: mean_tokens(encoder(patches(audio) + pos()))\n    finetune: {recipe}\n  }}\n}}\n");
        return path;
    }

    [Fact]
    public void A_misspelt_argument_gets_the_near_miss_and_an_impossible_rate_names_its_rule()
    {
        using var temp = new TempFolder();
        var (exit, output, _) = CapturedCli.Run("check", Spec(temp, "finetune(dorp_path: 0.1)"));
        Assert.NotEqual(0, exit);
        Assert.Contains("`finetune` has no argument `dorp_path`", output);
        Assert.Contains("did you mean `drop_path`?", output);

        (exit, output, _) = CapturedCli.Run("check", Spec(temp, "finetune(drop_path: 1.5)"));
        Assert.NotEqual(0, exit);
        Assert.Contains("drop_path is a probability: 0 ≤ drop_path < 1, but drop_path = 1.5", output);

        (exit, output, _) = CapturedCli.Run("check", Spec(temp, "adamw()"));
        Assert.NotEqual(0, exit);
        Assert.Contains("unknown fine-tuning recipe `adamw`", output);
    }

    [Fact]
    public void Eat_states_its_recipe_and_eat_tiny_changes_only_the_rate_which_diff_shows()
    {
        var (exit, output, error) = CapturedCli.Run("diff", Repository.Spec("eat.avml") + ":Eat", Repository.Spec("eat-tiny.avml") + ":EatTiny");
        Assert.True(exit == 0, error);
        Assert.Contains("~ eval.finetune.learning_rate: 5e-05 -> 0.0005", output);
        Assert.DoesNotContain("eval.finetune.drop_path", output);
    }
}
