namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>x[index]</c> with a tensor index. A bool mask selects along the leading dimensions it
    /// covers: x [B, N, D] with mask [B, N] gives [M, D], M = number of true entries. An int64 tensor picks
    /// rows of the first dimension.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[Tensor index] => Aten.Index.Call(this, new Tensor?[] { index });

    /// <summary>Row <paramref name="index"/> of the first dimension (a view).</summary>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[long index] => Aten.Select.Call(this, 0L, index);

    /// <summary>out[i][j] = x[i][index[i][j]] for dim 1 (and likewise for other dims).</summary>
    public Tensor Gather(long dim, Tensor index) => Aten.Gather.Call(this, dim, index);

    /// <summary>A copy with <paramref name="source"/>'s values written at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor source) => Aten.Scatter.Call(this, dim, index, source);

    public Tensor IndexSelect(long dim, Tensor index) => Aten.IndexSelect.Call(this, dim, index);

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-D tensor.</summary>
    public Tensor MaskedSelect(Tensor mask) => Aten.MaskedSelect.Call(this, mask);

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Aten.MaskedFill.Call(this, mask, value);

    /// <summary>Overwrites this tensor's values with <paramref name="source"/>'s (broadcast), outside autograd.</summary>
    public void CopyFrom(Tensor source)
    {
        using var _ = new GradModeScope(enabled: false);
        Aten.Copy_.CallInPlace(this, source);
    }
}
