namespace AvDsl.Runtime.Torch;

/// <summary>
/// Counts the arithmetic of the operator calls made on this thread while it is open:
/// <code>
/// using (var cost = CostCounter.Start()) loss = plan.ComputeLoss(model, batch);
/// cost.TrainingFlops   // forward + backward of what ran
/// </code>
/// Rules (one multiply-add = 2 FLOPs):
/// <list type="bullet">
/// <item>Matrix products are counted exactly from shapes: linear, matmul, bmm, einsum, conv1d/2d/3d
/// (2 · output elements · reduced length) and scaled-dot-product attention (q kᵀ and the weighted sum of v).
/// Biases, norms, activations, softmax and losses are counted apart, as one FLOP per output element
/// (<see cref="ElementwiseFlops"/>), and are not part of <see cref="ForwardFlops"/>.</item>
/// <item>Backward: an op in the autograd graph (grad mode on and an input requiring grad, i.e. its output
/// requires grad) costs one more forward per matrix operand that needs a gradient: 2× forward for a hidden layer
/// (input and weight), 1× for a layer whose input is data (weight only), 0× under <see cref="Torch.NoGrad"/>
/// (an EMA teacher) or for frozen weights applied to data. So training = 3× forward for the usual layer.</item>
/// <item>Activation memory: bytes of the (non-view) outputs of ops in the graph, plus attention's
/// probability matrix that fused attention keeps internally: an estimate of what autograd saves for backward.</item>
/// </list>
/// Counting is opt-in: with no counter open an op call pays one thread-static read.
/// </summary>
public sealed class CostCounter : IDisposable, IOpObserver
{
    // Ops that return a view of (or the same storage as) an input: no arithmetic, no new memory.
    private static readonly HashSet<string> Views =
    [
        "aten::view", "aten::reshape", "aten::permute", "aten::transpose", "aten::unsqueeze", "aten::squeeze",
        "aten::expand", "aten::flatten", "aten::narrow", "aten::slice", "aten::select", "aten::unbind", "aten::chunk",
        "aten::split", "aten::split_with_sizes", "aten::alias", "aten::detach", "aten::contiguous",
    ];

    // Ops that create tensors from nothing (or fill them): no arithmetic to count.
    private static readonly HashSet<string> Creation =
    [
        "aten::empty", "aten::zeros", "aten::ones", "aten::full", "aten::rand", "aten::randn", "aten::arange",
        "aten::zeros_like", "aten::ones_like", "aten::randn_like", "aten::bernoulli", "aten::randint", "aten::randperm",
        "aten::normal", "aten::multinomial", "aten::uniform_", "aten::normal_", "aten::fill_", "aten::zero_",
    ];

    private readonly IOpObserver? _previous;
    private readonly List<OpCost> _ops = [];
    private bool _disposed;

    private CostCounter()
    {
        _previous = Op.Observer;
        Op.Observer = this;
    }

    /// <summary>Starts counting this thread's operator calls until the counter is disposed.</summary>
    public static CostCounter Start() => new();

    /// <summary>Every counted call, in order.</summary>
    public IReadOnlyList<OpCost> Ops => _ops;

    /// <summary>Forward FLOPs of the matrix products (including those outside the autograd graph).</summary>
    public long ForwardFlops => _ops.Sum(o => o.ForwardFlops);

    /// <summary>Backward FLOPs of the matrix products (see the rules above).</summary>
    public long BackwardFlops => _ops.Sum(o => o.BackwardFlops);

    /// <summary>Forward plus backward: one training step's matrix-product FLOPs.</summary>
    public long TrainingFlops => ForwardFlops + BackwardFlops;

    /// <summary>Forward FLOPs of the matrix products run outside the autograd graph (a teacher under NoGrad).</summary>
    public long NoGradFlops => _ops.Where(o => !o.InGraph).Sum(o => o.ForwardFlops);

    /// <summary>One FLOP per output element of every other arithmetic op (norms, activations, adds, losses), forward only.</summary>
    public long ElementwiseFlops => _ops.Sum(o => o.ElementwiseFlops);

    /// <summary>Estimated bytes autograd keeps for backward.</summary>
    public long ActivationBytes => _ops.Sum(o => o.SavedBytes);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!ReferenceEquals(Op.Observer, this))
            throw new InvalidOperationException("CostCounters must be disposed innermost first, on the thread that started them.");
        Op.Observer = _previous;
    }

    void IOpObserver.Observed(Op op, ReadOnlySpan<OpArg> args, ReadOnlySpan<AvtValue> results)
    {
        if (Views.Contains(op.Name) || Creation.Contains(op.Name) || results.Length == 0 || results[0].Tag != AvtTag.Tensor)
            return;
        var output = Describe(results[0].Pointer);
        var inputs = new List<ObservedTensor>();
        foreach (ref readonly var arg in args)
        {
            if (arg.Tag == AvtTag.Tensor)
                inputs.Add(Describe(((Tensor)arg.Reference!).HandleFor(op.QualifiedName)));
            else if (arg.Tag == AvtTag.TensorList)
                foreach (var tensor in (Tensor?[])arg.Reference!)
                    if (tensor is not null) inputs.Add(Describe(tensor.HandleFor(op.QualifiedName)));
        }

        var inGraph = output.RequiresGrad;
        var (forward, backward, elementwise, extraSaved) = op.Name switch
        {
            "aten::linear" => Linear(output, inputs),
            "aten::matmul" or "aten::bmm" => Product(output, inputs),
            "aten::conv1d" or "aten::conv2d" or "aten::conv3d" => Convolution(output, inputs),
            "aten::scaled_dot_product_attention" or "aten::_scaled_dot_product_attention" => Attention(inputs),
            "aten::einsum" => Einsum(args, inputs),
            _ => (0L, 0L, output.Elements, 0L),
        };
        var saved = 0L;
        if (inGraph)
            saved = output.Bytes + extraSaved;
        else
            backward = 0;
        _ops.Add(new OpCost(op.Name, forward, backward, elementwise, saved, inGraph));
    }

    // x [..., K] · Wᵀ [K, N] (+ b): 2·M·K·N; backward one product per operand needing a gradient.
    private static (long, long, long, long) Linear(ObservedTensor output, List<ObservedTensor> inputs)
    {
        var forward = 2 * output.Elements * inputs[0].Shape[^1];
        var bias = inputs.Count > 2 ? output.Elements : 0;
        return (forward, forward * GradOperands(inputs[0], inputs[1]), bias, 0);
    }

    // a [..., M, K] · b [..., K, N]: 2·(output elements)·K.
    private static (long, long, long, long) Product(ObservedTensor output, List<ObservedTensor> inputs)
    {
        var forward = 2 * output.Elements * inputs[0].Shape[^1];
        return (forward, forward * GradOperands(inputs[0], inputs[1]), 0, 0);
    }

    // weight [O, C/groups, k...]: each output element reduces over C/groups · Πk inputs.
    private static (long, long, long, long) Convolution(ObservedTensor output, List<ObservedTensor> inputs)
    {
        var weight = inputs[1];
        long reduced = 1;
        for (var i = 1; i < weight.Shape.Length; i++) reduced *= weight.Shape[i];
        var forward = 2 * output.Elements * reduced;
        var bias = inputs.Count > 2 ? output.Elements : 0;
        return (forward, forward * GradOperands(inputs[0], weight), bias, 0);
    }

    // q [..., Nq, d], k [..., Nk, d], v [..., Nk, dv]: scores q kᵀ (2·B·Nq·Nk·d) and the weighted sum (2·B·Nq·Nk·dv);
    // the softmax over B·Nq·Nk scores is elementwise; autograd keeps the probabilities [..., Nq, Nk].
    private static (long, long, long, long) Attention(List<ObservedTensor> inputs)
    {
        var (q, k, v) = (inputs[0], inputs[1], inputs[2]);
        var queries = q.Shape[^2];
        var keys = k.Shape[^2];
        var batch = q.Elements / (queries * q.Shape[^1]);
        var scores = batch * queries * keys;
        var qk = 2 * scores * q.Shape[^1];
        var av = 2 * scores * v.Shape[^1];
        var scoresNeedGrad = q.RequiresGrad || k.RequiresGrad;
        var backward = qk * GradOperands(q, k) + av * ((scoresNeedGrad ? 1 : 0) + (v.RequiresGrad ? 1 : 0));
        return (qk + av, backward, scores, scores * q.ElementSize);
    }

    // "bhqd,bhkd->bhqk": 2 · the product of every index's size (each index once), for two or more operands.
    private static (long, long, long, long) Einsum(ReadOnlySpan<OpArg> args, List<ObservedTensor> inputs)
    {
        var equation = ((string)args[0].Reference!).Replace(" ", "", StringComparison.Ordinal);
        var operands = equation.Split("->")[0].Split(',');
        if (operands.Length < 2 || operands.Length != inputs.Count)
            return (0, 0, inputs.Count > 0 ? inputs[0].Elements : 0, 0);
        var sizes = new Dictionary<char, long>();
        for (var i = 0; i < operands.Length; i++)
        {
            var labels = Labels(operands[i], inputs[i].Shape.Length);
            for (var d = 0; d < labels.Count && d < inputs[i].Shape.Length; d++)
                sizes[labels[d]] = Math.Max(sizes.GetValueOrDefault(labels[d], 1), inputs[i].Shape[d]);
        }
        var forward = 2 * sizes.Values.Aggregate(1L, (a, b) => a * b);
        return (forward, forward * inputs.Count(t => t.RequiresGrad), 0, 0);
    }

    // One label per dim; the dims an ellipsis stands for get labels of their own, aligned from the right as in broadcasting.
    private static List<char> Labels(string subscripts, int rank)
    {
        var at = subscripts.IndexOf("...", StringComparison.Ordinal);
        if (at < 0)
            return [.. subscripts];
        var (before, after) = (subscripts[..at], subscripts[(at + 3)..]);
        var hidden = rank - before.Length - after.Length;
        var labels = new List<char>(before);
        for (var d = 0; d < hidden; d++) labels.Add((char)(0x100 + hidden - d));
        labels.AddRange(after);
        return labels;
    }

    private static int GradOperands(ObservedTensor a, ObservedTensor b) => (a.RequiresGrad ? 1 : 0) + (b.RequiresGrad ? 1 : 0);

    private static ObservedTensor Describe(IntPtr handle) => ObservedTensor.Of(handle, "CostCounter");
}
