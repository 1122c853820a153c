using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// A linear probe on frozen embeddings: each dimension standardised with the training clips' mean and standard
/// deviation (the held-out clips reuse them), then a softmax linear classifier trained full-batch with AdamW from
/// zero weights. The problem is convex, full-batch and starts from zero, so the result depends only on the
/// embeddings and the options — the same numbers on every run.
/// </summary>
public static class LinearProbe
{
    private const double MinStd = 1e-6;

    public static ClassifierResult Run(ClipEmbeddings train, ClipEmbeddings test, int classes, LinearProbeOptions? options = null)
    {
        options ??= new LinearProbeOptions();
        train.Validate();
        test.Validate();
        if (train.Dimension != test.Dimension)
            throw new ArgumentException($"train embeddings have {train.Dimension} dimensions but test embeddings have {test.Dimension}.");
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), $"a classifier needs at least two classes, got {classes}.");
        if (options.Epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"the probe needs at least one epoch, got {options.Epochs}.");

        var (mean, std) = Statistics(train);
        using var scope = new TensorScope();
        var x = Standardised(train, mean, std);                                   // [N, D]
        var y = Torch.Torch.FromArray(train.Labels, train.Count);                 // [N]
        var xTest = Standardised(test, mean, std);                                // [M, D]
        var yTest = Torch.Torch.FromArray(test.Labels, test.Count);               // [M]

        using var weight = Parameter.Zeros(classes, train.Dimension);             // [C, D]
        using var bias = Parameter.Zeros(classes);                                // [C]
        using var optimizer = new AdamW([new("head.weight", weight), new("head.bias", bias)], options.LearningRate,
            new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: options.WeightDecay));
        var losses = new List<double>(options.Epochs);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            using var step = new TensorScope();
            var loss = Functional.CrossEntropy(Functional.Linear(x, weight, bias), y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item<double>());
        }

        using var noGrad = Torch.Torch.NoGrad();
        return new ClassifierResult(
            Accuracy(Functional.Linear(xTest, weight, bias), yTest),
            Accuracy(Functional.Linear(x, weight, bias), y),
            losses,
            options.Epochs,
            train.Dimension);
    }

    /// <summary>The share of rows whose highest logit is their label.</summary>
    public static double Accuracy(Tensor logits, Tensor labels) =>
        logits.Argmax(1).Eq(labels).To(DType.Float32).Mean().Item<double>();

    /// <summary>Per dimension, the mean and (population) standard deviation over the clips, in double precision.</summary>
    internal static (double[] Mean, double[] Std) Statistics(ClipEmbeddings e)
    {
        var mean = new double[e.Dimension];
        var std = new double[e.Dimension];
        for (var i = 0; i < e.Count; i++)
            for (var d = 0; d < e.Dimension; d++)
                mean[d] += e.Values[(long)i * e.Dimension + d];
        for (var d = 0; d < e.Dimension; d++) mean[d] /= e.Count;
        for (var i = 0; i < e.Count; i++)
            for (var d = 0; d < e.Dimension; d++)
            {
                var delta = e.Values[(long)i * e.Dimension + d] - mean[d];
                std[d] += delta * delta;
            }
        for (var d = 0; d < e.Dimension; d++)
        {
            std[d] = Math.Sqrt(std[d] / e.Count);
            if (std[d] < MinStd) std[d] = 1.0; // a constant dimension carries nothing; leave it centred at zero
        }
        return (mean, std);
    }

    private static Tensor Standardised(ClipEmbeddings e, double[] mean, double[] std)
    {
        var values = new float[e.Values.Length];
        for (var i = 0; i < e.Count; i++)
            for (var d = 0; d < e.Dimension; d++)
            {
                var k = (long)i * e.Dimension + d;
                values[k] = (float)((e.Values[k] - mean[d]) / std[d]);
            }
        return Torch.Torch.FromArray(values, e.Count, e.Dimension);
    }
}
