using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Distributed;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>A NaN or infinite loss or gradient: <c>non_finite: stop</c> stops before the optimizer uses it and writes no
/// checkpoint after it; <c>non_finite: skip</c> skips the update, goes on and reports the steps.</summary>
public sealed class NonFiniteTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-non-finite-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_infinite_loss_stops_the_run_before_the_update_and_keeps_the_last_good_checkpoint()
    {
        Poisoned? model = null;
        var plan = Plan(() => model = new Poisoned(infiniteLossAt: [5]), steps: 10);
        var options = new RunOptions(RunRoot: _root) { CheckpointEvery = CheckpointInterval.Steps(2) };

        var error = Assert.Throws<NonFiniteLossException>(() => Trainer.Run(plan, options));

        var run = Directory.GetDirectories(_root).Single();
        // Step 6 (1-based) went bad: the loss and its term are infinite, and so is every gradient the term reaches; the gate's
        // own parameter comes first in the model's order, but its gradient is finite, so the first of the encoder's is named.
        Assert.Equal(6, error.Bad.Step);
        Assert.Equal(double.PositiveInfinity, error.Bad.Loss);
        Assert.Equal(double.PositiveInfinity, error.Bad.Terms["reconstruction"]);
        Assert.Equal(0.0, error.Bad.Terms["gate"]);
        Assert.Equal("mae.patches.proj.weight", error.Bad.Parameter);
        var lastGood = Path.Combine(run, "checkpoint-step-4.safetensors");
        Assert.Equal(lastGood, error.LastGoodCheckpoint);
        Assert.Equal(
            "step 6 had a non-finite loss or gradient: loss Infinity (reconstruction = Infinity, gate = 0); the first parameter whose gradient is not finite is `mae.patches.proj.weight`. " +
            $"The run stopped before the optimizer used it; '{lastGood}' is the last good checkpoint (nothing was written after it). " +
            "The same spec and seed meet the same step again, so change the spec and start a new run: a lower `lr` or a longer warmup, `clip: 1.0` in `train`, " +
            "or `non_finite: skip` to skip such steps and go on.",
            error.Message);

        // Only the good checkpoint is on disk; the metrics of steps 1-5 stay.
        Assert.Equal(new[] { "checkpoint-step-4.safetensors" }, Directory.GetFiles(run, "checkpoint-*").Select(f => Path.GetFileName(f)!).ToArray());
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
        Assert.Equal([1L, 2, 3, 4, 5], Steps(run));

        // No update with the poisoned gradients: the weights the model ended with are those it had before step 6.
        Assert.Equal([0L, 1, 2, 3, 4], model!.Updated);
        Assert.NotEqual(model.Before[4], model.Before[5]); // a good step does move them
        Assert.Equal(model.Before[5], model.Final);
    }

    [Fact]
    public void A_nan_gradient_under_a_finite_loss_names_its_parameter()
    {
        Poisoned? model = null;
        var plan = Plan(() => model = new Poisoned(nanGradientAt: [2]), steps: 6);

        var error = Assert.Throws<NonFiniteLossException>(() => Trainer.Run(plan, new RunOptions(RunRoot: _root) { CheckpointEvery = CheckpointInterval.Never }));

        Assert.Equal(3, error.Bad.Step);
        Assert.True(double.IsFinite(error.Bad.Loss), $"loss {error.Bad.Loss}");
        Assert.Equal("gate", error.Bad.Parameter);
        Assert.Null(error.LastGoodCheckpoint);
        Assert.Contains("the first parameter whose gradient is not finite is `gate`", error.Message);
        Assert.Contains("no checkpoint was written before it", error.Message);
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single(), "checkpoint-*"));
        Assert.Equal(model!.Before[2], model.Final);
    }

    [Fact]
    public async Task A_loss_nan_on_one_data_parallel_rank_alone_stops_both_ranks_at_the_same_step()
    {
        var port = TcpStore.FreeLoopbackPort();
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            var environment = new DistributedEnvironment(rank, 2, rank, 2, "127.0.0.1", port, AgentStore: false, Source: "torchrun");
            using var run = DistributedRun.Join(environment, TimeSpan.FromSeconds(30));
            // Only rank 1's loss of step 4 is NaN, and no gradient is: rank 0 sees it only in the averaged loss.
            var plan = Plan(() => new Poisoned(nanConstantAt: rank == 1 ? [3] : null), steps: 6);
            var options = new RunOptions(RunRoot: _root) { Distributed = run, CheckpointEvery = CheckpointInterval.Steps(2) };
            return Assert.Throws<NonFiniteLossException>(() => Trainer.Run(plan, options));
        })).ToArray();
        // A rank that went on alone would wait for the other at its next all-reduce until the group's timeout.
        var errors = await Task.WhenAll(ranks).WaitAsync(TimeSpan.FromSeconds(120));

        var run = Directory.GetDirectories(_root).Single();
        foreach (var error in errors)
        {
            Assert.Equal(4, error.Bad.Step);
            Assert.True(double.IsNaN(error.Bad.Loss)); // the mean over the ranks
            Assert.True(double.IsNaN(error.Bad.Terms["gate"]));
            Assert.Null(error.Bad.Parameter);
            Assert.Contains("every gradient was finite, the loss itself was not", error.Message);
            Assert.Equal(Path.Combine(run, "checkpoint-step-2.safetensors"), error.LastGoodCheckpoint);
        }
        Assert.Equal(new[] { "checkpoint-step-2.rank-1.safetensors", "checkpoint-step-2.safetensors" },
            Directory.GetFiles(run, "checkpoint-*").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal([1L, 2, 3], Steps(run));
    }

    [Fact]
    public void Skip_leaves_the_weights_of_a_bad_step_as_they_were_and_reports_the_steps()
    {
        Poisoned? model = null;
        var plan = Plan(() => model = new Poisoned(infiniteLossAt: [7, 8], nanGradientAt: [3]), steps: 10) with { NonFinite = NonFinitePolicy.Skip };

        var result = Trainer.Run(plan, new RunOptions(RunRoot: _root) { CheckpointEvery = CheckpointInterval.Never });

        Assert.Equal(10, result.Steps.Count);
        Assert.Equal([4L, 8, 9], result.SkippedSteps);
        Assert.Equal([0L, 1, 2, 4, 5, 6, 9], model!.Updated); // AfterStep (an EMA's move) only after a taken step
        foreach (var skipped in new[] { 3, 7, 8 })
            Assert.Equal(model.Before[skipped], model.Before[skipped + 1]);
        Assert.NotEqual(model.Before[4], model.Before[5]);
        Assert.True(double.IsFinite(result.Steps[^1].Loss));

        // metrics.jsonl marks the skipped steps; the final checkpoint counts only the optimizer steps taken, and holds finite weights.
        var lines = File.ReadAllLines(Path.Combine(result.RunDirectory, Trainer.MetricsFileName)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([4L, 8, 9], lines.Where(l => l.TryGetProperty("skipped", out var s) && s.GetInt32() == 1).Select(l => l.GetProperty("step").GetInt64()));
        Assert.Equal("Infinity", lines[7].GetProperty("loss").GetString());
        using var checkpoint = SafeTensors.Read(result.CheckpointPath);
        Assert.Equal("7", checkpoint.Metadata["optimizer.step"]);
        foreach (var (key, tensor) in checkpoint.Tensors)
            if (tensor.DType == DType.Float32)
                Assert.True(tensor.ToArray<float>().All(float.IsFinite), key);
    }

    private static long[] Steps(string run) =>
        File.ReadAllLines(Path.Combine(run, Trainer.MetricsFileName)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();

    private static TrainingPlan Plan(Func<SpecModel> create, long steps) => TinyMae.Plan(steps) with { CreateModel = create };

    /// <summary>TinyMae plus a term <c>gate</c> that is always 0, poisoned at chosen 0-based steps: the reconstruction × ∞ (an
    /// infinite loss, every gradient non-finite), √(0 · gate) in place of 0 · gate (still 0, but its gradient is 0 · ∞ = NaN), or
    /// a constant NaN added to the gate (a NaN loss, every gradient finite).
    /// It keeps its weights as they were before each step and, when the trainer disposes it, as they ended.</summary>
    private sealed class Poisoned(HashSet<long>? infiniteLossAt = null, HashSet<long>? nanGradientAt = null, HashSet<long>? nanConstantAt = null)
        : SpecModel, IDisposable
    {
        private long _step;

        public TinyMae Mae { get; } = new();
        public Parameter Gate { get; } = Parameter.Ones(1);

        public Dictionary<long, string> Before { get; } = [];
        public string? Final { get; private set; }
        public List<long> Updated { get; } = [];

        public override void BeforeStep(long step, long totalSteps)
        {
            _step = step;
            Before[step] = Weights();
        }

        public override void AfterStep(long step, long totalSteps) => Updated.Add(step);

        public override LossTerms Loss(Batch batch)
        {
            var reconstruction = Mae.Loss(batch).Total;
            if (infiniteLossAt?.Contains(_step) == true)
                reconstruction = reconstruction * double.PositiveInfinity;
            var zero = Gate * 0.0;
            var gate = (nanGradientAt?.Contains(_step) == true ? zero.Sqrt() : zero).Sum();
            if (nanConstantAt?.Contains(_step) == true)
                gate = gate + Torch.Torch.FromArray(new[] { float.NaN }, 1).Sum();
            return new LossTerms(reconstruction + gate, [new("reconstruction", reconstruction), new("gate", gate)]);
        }

        /// <summary>Every weight as text, so that equal weights compare equal bit for bit and a difference shows.</summary>
        private string Weights() =>
            string.Join("\n", NamedParameters().Select(p => p.Key + " " + string.Join(",", p.Value.ToArray<float>().Select(v => BitConverter.SingleToInt32Bits(v)))));

        // Trainer disposes the model through IDisposable when the run ends, also when it throws: the weights it ended with.
        void IDisposable.Dispose()
        {
            Final = Weights();
            Dispose();
        }
    }
}
