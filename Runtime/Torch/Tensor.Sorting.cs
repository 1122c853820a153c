namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    /// <summary>The <paramref name="k"/> largest (or smallest) entries along <paramref name="dim"/> and their Int64 indices.</summary>
    public (Tensor Values, Tensor Indices) Topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        var results = Aten.Topk.CallMany(2, this, k, dim, largest, sorted);
        return (results[0], results[1]);
    }

    /// <summary>The entries sorted along <paramref name="dim"/> and the Int64 indices that sort them.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        var results = Aten.Sort.CallMany(2, this, dim, descending);
        return (results[0], results[1]);
    }

    /// <summary>Running sum along <paramref name="dim"/>.</summary>
    public Tensor Cumsum(long dim) => Aten.Cumsum.Call(this, dim);

    /// <summary>log Σ exp(x) along <paramref name="dim"/>, computed stably.</summary>
    public Tensor Logsumexp(long dim, bool keepDim = false) => Aten.Logsumexp.Call(this, new[] { dim }, keepDim);

    public Tensor Logsumexp(long[] dims, bool keepDim = false) => Aten.Logsumexp.Call(this, dims, keepDim);
}
