using AvDsl.Runtime.Evaluation;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>STELLA's average and forgetting of an accuracy matrix, against values worked out by hand.</summary>
public sealed class ContinualMetricsTests
{
    private static RecallAtK R(double r1, double r5, double r10) => new(r1, r5, r10);

    [Fact]
    public void Average_is_the_final_row_and_forgetting_the_drop_from_the_best_earlier_row()
    {
        // Three stages, tasks A, B, C trained in stages 1, 2, 3.
        IReadOnlyList<IReadOnlyList<RecallAtK>> matrix =
        [
            [R(0.50, 0.80, 0.90), R(0.10, 0.20, 0.30), R(0.05, 0.10, 0.20)],
            [R(0.40, 0.85, 0.90), R(0.60, 0.70, 0.80), R(0.10, 0.10, 0.20)],
            [R(0.30, 0.60, 0.70), R(0.50, 0.75, 0.70), R(0.70, 0.90, 1.00)],
        ];
        var (average, forgetting) = ContinualMetrics.Summarize(matrix, [0, 1, 2]);

        Assert.Equal((0.30 + 0.50 + 0.70) / 3, average.R1, 12);
        Assert.Equal((0.60 + 0.75 + 0.90) / 3, average.R5, 12);
        Assert.Equal((0.70 + 0.70 + 1.00) / 3, average.R10, 12);
        // A: best of stages 1-2 is R@1 0.50, R@5 0.85, R@10 0.90; B: only stage 2 is earlier (0.60, 0.70, 0.80). C is the last task.
        Assert.NotNull(forgetting);
        Assert.Equal(((0.50 - 0.30) + (0.60 - 0.50)) / 2, forgetting!.R1, 12);
        Assert.Equal(((0.85 - 0.60) + (0.70 - 0.75)) / 2, forgetting.R5, 12);
        Assert.Equal(((0.90 - 0.70) + (0.80 - 0.70)) / 2, forgetting.R10, 12);
    }

    [Fact]
    public void A_stage_before_a_task_was_trained_does_not_count_as_its_best()
    {
        // Task B scores high after stage 1 by chance; it is trained in stage 2 only, so its best earlier value is stage 2's.
        IReadOnlyList<IReadOnlyList<RecallAtK>> matrix =
        [
            [R(0.5, 0.5, 0.5), R(0.9, 0.9, 0.9)],
            [R(0.4, 0.4, 0.4), R(0.3, 0.3, 0.3)],
            [R(0.2, 0.2, 0.2), R(0.2, 0.2, 0.2)],
        ];
        var (_, forgetting) = ContinualMetrics.Summarize(matrix, [0, 1]);
        Assert.Equal(((0.5 - 0.2) + (0.3 - 0.2)) / 2, forgetting!.R1, 12);
    }

    [Fact]
    public void One_stage_has_no_forgetting_and_a_task_never_trained_is_averaged_but_not_forgotten()
    {
        var (average, forgetting) = ContinualMetrics.Summarize([[R(0.2, 0.4, 0.6), R(0.4, 0.6, 0.8)]], [0, 0]);
        Assert.Null(forgetting);
        Assert.Equal(0.3, average.R1, 12);

        var (_, heldOut) = ContinualMetrics.Summarize([[R(0.2, 0.2, 0.2), R(0.9, 0.9, 0.9)], [R(0.1, 0.1, 0.1), R(0.1, 0.1, 0.1)]], [0, null]);
        Assert.Equal(0.1, heldOut!.R1, 12); // only the trained task A counts
    }

    [Fact]
    public void A_matrix_that_does_not_fit_the_tasks_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ContinualMetrics.Summarize([[R(0.1, 0.2, 0.3)]], [0, 1]));
        Assert.Throws<ArgumentException>(() => ContinualMetrics.Summarize([], []));
    }
}
