using AvDsl.Runtime.Distributed;
using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Distributed;

/// <summary>Two ranks, each on half of a batch, end with the gradients one process computes on the whole batch.</summary>
public sealed class DataParallelTests
{
    // A fixed model and batch: y = W x + b on 6 rows, and targets.
    private static readonly float[] Weight = [0.5f, -0.25f, 0.75f, 0.1f, -0.4f, 0.3f, 0.2f, -0.6f, 0.05f, 0.9f, -0.15f, 0.35f];
    private static readonly float[] Bias = [0.1f, -0.2f, 0.3f];
    private static readonly float[] Inputs = Enumerable.Range(0, 24).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
    private static readonly float[] Targets = Enumerable.Range(0, 18).Select(i => (float)Math.Cos(i * 0.3)).ToArray();

    private static Linear Model(bool fixedWeights)
    {
        var model = new Linear(4, 3);
        if (fixedWeights)
        {
            model.Weight.CopyFrom(T.FromArray(Weight, 3, 4));
            model.Bias!.CopyFrom(T.FromArray(Bias, 3));
        }
        return model;
    }

    private static (float[] Weight, float[] Bias) Gradients(Linear model, long first, long rows)
    {
        var x = T.FromArray(Inputs, 6, 4).Narrow(0, first, rows);
        var y = T.FromArray(Targets, 6, 3).Narrow(0, first, rows);
        Losses.Mse(model.Forward(x), y).Backward();
        return (model.Weight.Grad!.ToArray<float>(), model.Bias!.Grad!.ToArray<float>());
    }

    [Fact]
    public void Averaged_half_batch_gradients_are_the_whole_batch_s_and_every_rank_starts_from_rank_0_s_weights()
    {
        (float[] Weight, float[] Bias) expected;
        using (var scope = new TensorScope())
        using (var model = Model(fixedWeights: true))
            expected = Gradients(model, 0, 6);

        var ranks = TwoRanks.Run((group, _) =>
        {
            using var model = Model(fixedWeights: group.Rank == 0); // rank 1 starts from other weights
            DataParallel.Broadcast(group, model);
            var start = model.Weight.ToArray<float>();
            using var parallel = new DataParallel(group, model.Parameters());
            Gradients(model, 3 * group.Rank, 3);
            parallel.AverageGradients();
            return (start, parallel.Buckets.Count, parallel.BytesPerStep, Grad: (model.Weight.Grad!.ToArray<float>(), model.Bias!.Grad!.ToArray<float>()));
        });

        Assert.All(ranks, r =>
        {
            Assert.Equal(Weight, r.start);
            Assert.Equal(1, r.Count);                 // 60 bytes: one bucket
            Assert.Equal(15 * 4L, r.BytesPerStep);
            Assert.Equal(expected.Weight, r.Grad.Item1, new FloatTolerance(1e-6f));
            Assert.Equal(expected.Bias, r.Grad.Item2, new FloatTolerance(1e-6f));
        });
    }

    [Fact]
    public void Buckets_follow_backward_order_close_at_the_size_and_a_missing_gradient_receives_the_average()
    {
        var ranks = TwoRanks.Run((group, _) =>
        {
            using var model = Model(fixedWeights: true);
            // 48 + 12 bytes: a 50-byte bucket holds the weight alone, so the bias (last parameter, first in backward) is first.
            using var parallel = new DataParallel(group, model.Parameters(), bucketBytes: 50);
            if (group.Rank == 0) model.Bias!.Grad = T.FromArray(new float[] { 2, 4, 6 }, 3);
            model.Weight.Grad = T.FromArray(Enumerable.Repeat((float)group.Rank, 12).ToArray(), 3, 4);
            parallel.AverageGradients();
            return (Buckets: parallel.Buckets.Select(b => b.ToArray()).ToArray(), Bias: model.Bias!.Grad!.ToArray<float>(), W: model.Weight.Grad!.ToArray<float>());
        });
        Assert.All(ranks, r =>
        {
            Assert.Equal(new[] { new[] { 1 }, new[] { 0 } }, r.Buckets);
            Assert.Equal(new float[] { 1, 2, 3 }, r.Bias);       // rank 1 had none: (2 + 0) / 2 …
            Assert.All(r.W, w => Assert.Equal(0.5f, w));
        });
    }

    [Fact]
    public void The_first_bucket_closes_at_one_mebibyte_as_ddp_s_does_so_backward_s_first_gradients_leave_early()
    {
        // Four parameters of 400 KB: the first bucket takes the last two (800 KB, a third would pass 1 MiB), the next the rest.
        var buckets = DataParallel.BucketsOf(Enumerable.Repeat((100_000L, DType.Float32), 4).ToArray(), DataParallel.DefaultBucketBytes);
        Assert.Equal(new[] { new[] { 3, 2 }, new[] { 1, 0 } }, buckets.Select(b => b.ToArray()).ToArray());
    }

    [Fact]
    public void Buckets_are_sent_while_backward_runs_and_a_parameter_backward_never_reached_is_sent_after()
    {
        (float[] Weight, float[] Bias) expected;
        using (var scope = new TensorScope())
        using (var model = Model(fixedWeights: true))
            expected = Gradients(model, 0, 6);

        var ranks = TwoRanks.Run((group, _) =>
        {
            using var model = Model(fixedWeights: true);
            using var unused = new Linear(2, 2); // last in the parameter list: first in backward order, never reached
            Parameter[] parameters = [.. model.Parameters(), .. unused.Parameters()];
            using var parallel = new DataParallel(group, parameters, bucketBytes: 50);
            var overlapped = new List<int>();
            for (var round = 0; round < 2; round++)
            {
                foreach (var p in model.Parameters()) p.ZeroGrad();
                parallel.PrepareForBackward();
                Gradients(model, 3 * group.Rank, 3);
                parallel.AverageGradients();
                overlapped.Add(parallel.OverlappedBuckets);
            }
            return (Buckets: parallel.Buckets.Count, overlapped, Used: (model.Weight.Grad!.ToArray<float>(), model.Bias!.Grad!.ToArray<float>()),
                Unused: unused.Weight.Grad!.ToArray<float>());
        });
        Assert.All(ranks, r =>
        {
            // The unused bias and weight (8 + 16 bytes) share the first bucket with the bias (12), then the weight (48).
            Assert.Equal(2, r.Buckets);
            // The unused bucket is first in order and never ready, so backward could start none of them.
            Assert.Equal(new[] { 0, 0 }, r.overlapped);
            Assert.All(r.Unused, g => Assert.Equal(0f, g));
            Assert.Equal(expected.Weight, r.Used.Item1, new FloatTolerance(1e-6f));
            Assert.Equal(expected.Bias, r.Used.Item2, new FloatTolerance(1e-6f));
        });
    }

    [Fact]
    public void With_every_parameter_reached_each_bucket_is_sent_during_backward_and_the_average_is_the_whole_batch_s()
    {
        (float[] Weight, float[] Bias) expected;
        using (var scope = new TensorScope())
        using (var model = Model(fixedWeights: true))
            expected = Gradients(model, 0, 6);
        var ranks = TwoRanks.Run((group, _) =>
        {
            using var model = Model(fixedWeights: true);
            using var parallel = new DataParallel(group, model.Parameters(), bucketBytes: 50);
            var overlapped = new List<int>();
            (float[], float[]) grads = default;
            for (var round = 0; round < 3; round++)
            {
                foreach (var p in model.Parameters()) p.ZeroGrad();
                parallel.PrepareForBackward();
                Gradients(model, 3 * group.Rank, 3);
                parallel.AverageGradients();
                overlapped.Add(parallel.OverlappedBuckets);
                grads = (model.Weight.Grad!.ToArray<float>(), model.Bias!.Grad!.ToArray<float>());
            }
            return (overlapped, grads);
        });
        Assert.All(ranks, r =>
        {
            Assert.Equal(new[] { 2, 2, 2 }, r.overlapped);
            Assert.Equal(expected.Weight, r.grads.Item1, new FloatTolerance(1e-6f));
            Assert.Equal(expected.Bias, r.grads.Item2, new FloatTolerance(1e-6f));
        });
    }

    [Fact]
    public void Two_backward_passes_through_a_parameter_in_one_step_are_refused_by_name()
    {
        var errors = TwoRanks.Run((group, _) =>
        {
            using var model = Model(fixedWeights: true);
            using var parallel = new DataParallel(group, model.Parameters());
            parallel.PrepareForBackward();
            Gradients(model, 0, 3);
            Gradients(model, 3, 3);
            return Assert.Throws<TorchException>(parallel.AverageGradients).Message;
        });
        Assert.All(errors, e => Assert.Contains("received a gradient twice in one step", e));
    }

    /// <summary>Three steps of AdamW and an EMA teacher (the state no gradient carries): identical on both ranks, bit for
    /// bit, and the one process's on the whole batch within rounding.</summary>
    private static (float[] Student, float[] Teacher, float[] Moment) Train(ProcessGroup? group, long first, long rows)
    {
        using var student = Model(fixedWeights: group is null || group.Rank == 0);
        using var teacher = Model(fixedWeights: false);
        if (group is not null) DataParallel.Broadcast(group, student);
        var ema = new Ema([student], [teacher]);
        using var optimizer = new AdamW(student, 1e-2, new OptimizerSettings([0.9, 0.999]));
        using var parallel = group is null ? null : new DataParallel(group, student.Parameters());
        for (var step = 0; step < 3; step++)
        {
            using var scope = new TensorScope();
            optimizer.ZeroGrad();
            var x = (T.FromArray(Inputs, 6, 4) * (step + 1)).Narrow(0, first, rows);
            var y = T.FromArray(Targets, 6, 3).Narrow(0, first, rows);
            parallel?.PrepareForBackward();
            Losses.Mse(student.Forward(x), y).Backward();
            parallel?.AverageGradients();
            optimizer.Step();
            ema.Step(0.9);
        }
        return (student.Weight.ToArray<float>(), teacher.Weight.ToArray<float>(), optimizer.StateDict().Values.First().ToArray<float>());
    }

    [Fact]
    public void Optimizer_state_and_an_ema_teacher_stay_identical_on_every_rank()
    {
        (float[] Student, float[] Teacher, float[] Moment) alone;
        using (new TensorScope())
            alone = Train(null, 0, 6);
        var ranks = TwoRanks.Run((group, _) => Train(group, 3 * group.Rank, 3));
        Assert.Equal(ranks[0].Student, ranks[1].Student);
        Assert.Equal(ranks[0].Teacher, ranks[1].Teacher);
        Assert.Equal(ranks[0].Moment, ranks[1].Moment);
        Assert.Equal(alone.Student, ranks[0].Student, new FloatTolerance(1e-5f));
        Assert.Equal(alone.Teacher, ranks[0].Teacher, new FloatTolerance(1e-5f));
        Assert.NotEqual(Weight, ranks[0].Teacher); // the teacher moved
    }
}
