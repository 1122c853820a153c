using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>A sequence of tasks: <c>task name = manifest(…)</c> in <c>data</c>, <c>train: [a, b]</c> the order of the stages,
/// <c>carry</c> what a stage takes over, and <c>detach</c> for losses that train only some components.</summary>
public class ContinualTasksTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private const string Tasks = """
          data {
            task low = manifest(path: "tones.csv", labels: ["a", "b"])
            task high = manifest(path: "tones.csv", labels: ["c"])
            train: [low, high]
          }
        """;

    private static SpecFile Compile(string data = Tasks, string train = "")
    {
        var text = TinyMae.Replace("""
              data {
                train: synthetic_spectrograms()
              }
            """, data);
        if (train.Length > 0) text = text.Replace("    clip: 1.0\n", "    clip: 1.0\n" + train);
        return SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
    }

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    [Fact]
    public void Tasks_and_their_order_bind_with_every_carry_by_default()
    {
        var file = Compile();
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var spec = Assert.Single(file.Specs);
        Assert.Equal(new[] { "low", "high" }, spec.Data.Tasks.Select(t => t.Name));
        Assert.Equal(new[] { "low", "high" }, spec.Data.Stages.Select(s => s.ToAvml()));
        Assert.Equal(new ListValue(new Value[] { new StringValue("a"), new StringValue("b") }.ToEquatableArray()), spec.Data.Tasks[0].Source.Get("labels"));
        Assert.Equal("train", ((StringValue)spec.Data.Tasks[0].Source.Get("split")).Value);
        Assert.Same(spec.Data.Tasks[0].Source, spec.Data.Train);
        Assert.Equal(new[] { "model", "optimizer", "buffer" }, spec.Training.Carry);
    }

    [Fact]
    public void A_stage_that_is_a_list_trains_its_tasks_at_once()
    {
        var spec = Assert.Single(Compile(Tasks.Replace("train: [low, high]", "train: [[low, high]]"), "    carry: [model]\n").Specs);
        var stage = Assert.Single(spec.Data.Stages);
        Assert.Equal(new[] { "low", "high" }, stage.Tasks);
        Assert.Equal("[[low, high]]", spec.Data.StagesToAvml());
        Assert.Equal(new[] { "model" }, spec.Training.Carry);
    }

    [Fact]
    public void The_printed_spec_keeps_tasks_stages_and_carry_and_binds_back_to_an_equal_model()
    {
        var spec = Assert.Single(Compile(train: "    carry: [optimizer, model]\n").Specs);
        var printed = SpecPrinter.Print(spec);
        Assert.Contains("    carry: [model, optimizer]\n", printed);
        Assert.Contains("    task low = manifest(path: \"tones.csv\", split: \"train\", cache: \"\", max_bad: 0.01, labels: [\"a\", \"b\"])\n", printed);
        Assert.Contains("    train: [low, high]\n", printed);
        var again = Assert.Single(SpecCompiler.Compile("spec.avml", printed, TestCatalog.Instance).Specs);
        Assert.Equal(printed, SpecPrinter.Print(again));
        Assert.Equal(spec.Data.Tasks.Select(t => (t.Name, t.Source)), again.Data.Tasks.Select(t => (t.Name, t.Source)));
        Assert.Equal(spec.Data.Stages, again.Data.Stages);
        Assert.Equal(spec.Training.Carry, again.Training.Carry);
    }

    [Fact]
    public void A_child_replaces_the_order_to_train_every_task_at_once()
    {
        var text = TinyMae.Replace("""
              data {
                train: synthetic_spectrograms()
              }
            """, Tasks) + """

            spec TinyMaeMultitask extends TinyMae {
              data {
                train: [[low, high]]
              }
            }
            """;
        var file = SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var child = file.Specs.Single(s => s.Name == "TinyMaeMultitask");
        Assert.Equal(new[] { "low", "high" }, child.Data.Tasks.Select(t => t.Name));
        Assert.Equal("[[low, high]]", child.Data.StagesToAvml());
        var diff = SpecDiff.Compare(file.Specs.Single(s => s.Name == "TinyMae"), child);
        Assert.Equal("~ data.train: [low, high] -> [[low, high]]", Assert.Single(diff).ToString());
    }

    [Theory]
    [InlineData("train: [low, hihg]", "hihg", "`hihg` is not a task of `data`", "did you mean `high`?")]
    [InlineData("train: [low, [high, high]]", "[high, high]", "a stage names the same task twice", "list each task once")]
    [InlineData("train: [low, 3]", "3", "each stage of `train` is a task's name or a list of tasks trained at once, found `3`", null)]
    [InlineData("train: []", "[]", "`train: []` trains nothing", "name the tasks in the order they are trained, `train: [low, high]`")]
    public void A_wrong_order_is_a_located_error(string order, string span, string message, string? help)
    {
        var file = Compile(Tasks.Replace("train: [low, high]", order));
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal(span, SpanText(file, d));
        Assert.Equal(message, d.Message);
        if (help is not null) Assert.Equal(help, d.Help);
    }

    [Fact]
    public void Tasks_need_an_order_and_a_source_that_runs_out()
    {
        var single = Compile(Tasks.Replace("train: [low, high]", "train: manifest(path: \"tones.csv\")"));
        var d = Assert.Single(single.Diagnostics, x => x.IsError);
        Assert.Equal("`data` declares tasks (`low`, `high`) but `train` is a source of its own", d.Message);
        Assert.Equal("name the order the tasks are trained in, `train: [low, high]`, or drop the tasks", d.Help);

        var endless = Compile(Tasks.Replace("task high = manifest(path: \"tones.csv\", labels: [\"c\"])", "task high = synthetic_spectrograms()"));
        var e = Assert.Single(endless.Diagnostics, x => x.IsError);
        Assert.Equal("synthetic_spectrograms()", SpanText(endless, e));
        Assert.Equal("`synthetic_spectrograms` never runs out and has no test split, so it cannot be a task", e.Message);

        var twice = Compile(Tasks.Replace("task high =", "task low ="));
        Assert.Equal("task `low` is declared twice", Assert.Single(twice.Diagnostics, x => x.IsError).Message);

        var none = Compile("""
              data {
                train: [low]
              }
            """);
        Assert.Equal("`train: […]` names the tasks to train in turn, but `data` declares none", Assert.Single(none.Diagnostics, x => x.IsError).Message);
    }

    [Theory]
    [InlineData("    carry: [model, optimiser]\n", "optimiser", "`carry` lists `model`, `optimizer`, `buffer`, found `optimiser`", "did you mean `optimizer`?")]
    [InlineData("    carry: [model, model]\n", "model", "`model` is listed twice in `carry`", "keep one")]
    [InlineData("    carry: model\n", "model", "`carry` must be a list of `model`, `optimizer`, `buffer`, found `model`", null)]
    public void A_wrong_carry_is_a_located_error(string carry, string span, string message, string? help)
    {
        var file = Compile(train: carry);
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal(span, SpanText(file, d));
        Assert.Equal(message, d.Message);
        if (help is not null) Assert.Equal(help, d.Help);
    }

    [Fact]
    public void Carry_without_tasks_is_an_error_that_says_why()
    {
        var file = Compile("""
              data {
                train: synthetic_spectrograms()
              }
            """, "    carry: [model]\n");
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal("carry", SpanText(file, d));
        Assert.StartsWith("`carry` says what a stage of a sequence of tasks takes over from the one before, but this spec trains on one source", d.Message);
    }

    [Fact]
    public void Labels_must_be_strings()
    {
        var file = Compile(Tasks.Replace("labels: [\"c\"]", "labels: [c]"));
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal("`labels` of `manifest` must be a list of strings, found a list", d.Message);
    }
}
