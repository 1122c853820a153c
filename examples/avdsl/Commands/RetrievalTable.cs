using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Evaluation;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary>Retrieval of a checkpoint and its random-init twin, both directions, with what a random ranking gives.</summary>
public static class RetrievalTable
{
    public static void Write(CommandOutput output, params (string Task, RetrievalReport Trained, RetrievalReport Random)[] rows)
    {
        var first = rows[0].Trained;
        output.Out.WriteLine($"zero-shot retrieval with {first.Spec}: cosine similarity of {Label(first.First, first.FirstInputs)} and {Label(first.Second, first.SecondInputs)} embeddings, {first.Split} split;");
        output.Out.WriteLine("R@k and median rank: the same clip's pair is the hit; class@1: the nearest item has the query's class");
        foreach (var (task, trained, random) in rows)
        {
            output.Out.WriteLine($"{task}: {trained.Clips} clips");
            var table = new Table().AddColumns("direction", "init", "R@1", "R@5", "R@10", "med. rank", "class@1");
            table.AddRow(Row($"{Label(trained.First, trained.FirstInputs)} → {Label(trained.Second, trained.SecondInputs)}", "pre-trained", trained.FirstToSecond));
            table.AddRow(Row("", "random init", random.FirstToSecond));
            table.AddRow(Row($"{Label(trained.Second, trained.SecondInputs)} → {Label(trained.First, trained.FirstInputs)}", "pre-trained", trained.SecondToFirst));
            table.AddRow(Row("", "random init", random.SecondToFirst));
            var n = trained.Clips;
            table.AddRow("", "chance", Percent(1.0 / n), Percent(Math.Min(1, 5.0 / n)), Percent(Math.Min(1, 10.0 / n)), Number((n + 1) / 2.0), Percent(trained.SameClassChance));
            output.Ansi.Write(table);
        }
    }

    /// <summary>Single-table form for one task (<c>avdsl eval --retrieval</c>).</summary>
    public static void Write(CommandOutput output, RetrievalReport trained, RetrievalReport random) => Write(output, (trained.Task, trained, random));

    private static string[] Row(string direction, string init, RetrievalScores s) =>
        [direction, init, Percent(s.R1), Percent(s.R5), Percent(s.R10), Number(s.MedianRank), s.SameClassR1 is { } c ? Percent(c) : "–"];

    /// <summary>The input an embedding reads when it reads one ("audio"), else its name.</summary>
    private static string Label(string name, IReadOnlyList<string> inputs) => inputs.Count == 1 ? inputs[0] : name;

    private static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);
}
