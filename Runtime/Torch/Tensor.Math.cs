namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    public Tensor Matmul(Tensor other) => Aten.Matmul.Call(this, other);

    /// <summary>Batched matrix product of [B, n, m] and [B, m, p].</summary>
    public Tensor Bmm(Tensor other) => Aten.Bmm.Call(this, other);

    public Tensor Sum() => Aten.SumAll.Call(this);
    public Tensor Sum(long dim, bool keepDim = false) => Aten.SumDims.Call(this, new[] { dim }, keepDim);
    public Tensor Sum(long[] dims, bool keepDim = false) => Aten.SumDims.Call(this, dims, keepDim);

    public Tensor Mean() => Aten.MeanAll.Call(this);
    public Tensor Mean(long dim, bool keepDim = false) => Aten.MeanDims.Call(this, new[] { dim }, keepDim);
    public Tensor Mean(long[] dims, bool keepDim = false) => Aten.MeanDims.Call(this, dims, keepDim);

    /// <summary>Variance over <paramref name="dim"/>; unbiased (n - 1) by default, as in PyTorch.</summary>
    public Tensor Var(long dim, bool unbiased = true, bool keepDim = false) => Aten.VarDims.Call(this, new[] { dim }, unbiased, keepDim);
    public Tensor Var(long[] dims, bool unbiased = true, bool keepDim = false) => Aten.VarDims.Call(this, dims, unbiased, keepDim);

    public Tensor Max(long dim, bool keepDim = false) => Aten.Amax.Call(this, new[] { dim }, keepDim);
    public Tensor Min(long dim, bool keepDim = false) => Aten.Amin.Call(this, new[] { dim }, keepDim);
    public Tensor Argmax(long dim, bool keepDim = false) => Aten.Argmax.Call(this, dim, keepDim);

    /// <summary>The vector p-norm of all elements (or over <paramref name="dims"/>).</summary>
    public Tensor Norm(double p = 2.0, long[]? dims = null, bool keepDim = false) => Aten.VectorNorm.Call(this, p, dims, keepDim);

    public Tensor Pow(double exponent) => Aten.PowScalar.Call(this, exponent);
    public Tensor Square() => Aten.Mul.Call(this, this);
    public Tensor Sqrt() => Aten.Sqrt.Call(this);
    public Tensor Rsqrt() => Aten.Rsqrt.Call(this);
    public Tensor Exp() => Aten.Exp.Call(this);
    public Tensor Log() => Aten.Log.Call(this);
    public Tensor Abs() => Aten.Abs.Call(this);
    public Tensor Sin() => Aten.Sin.Call(this);
    public Tensor Cos() => Aten.Cos.Call(this);
    public Tensor Tanh() => Aten.Tanh.Call(this);
    public Tensor Sigmoid() => Aten.Sigmoid.Call(this);
    public Tensor Relu() => Aten.Relu.Call(this);
    public Tensor Silu() => Aten.Silu.Call(this);
    public Tensor Floor() => Aten.Floor.Call(this);

    /// <summary>GELU; <paramref name="approximate"/> is "none" (erf, PyTorch's default) or "tanh".</summary>
    public Tensor Gelu(string approximate = "none") => Aten.Gelu.Call(this, approximate);

    public Tensor Clamp(double? min = null, double? max = null) =>
        Aten.Clamp.Call(this, min is { } lo ? lo : OpArg.None, max is { } hi ? hi : OpArg.None);

    public Tensor Softmax(long dim) => Aten.Softmax.Call(this, dim);
    public Tensor LogSoftmax(long dim) => Aten.LogSoftmax.Call(this, dim);

    /// <summary>Indices (int64) that sort the tensor along <paramref name="dim"/>.</summary>
    public Tensor Argsort(long dim = -1, bool descending = false) => Aten.Argsort.Call(this, dim, descending);

    public Tensor Gt(double value) => Aten.GtScalar.Call(this, value);
    public Tensor Lt(double value) => Aten.LtScalar.Call(this, value);
    public Tensor Ge(double value) => Aten.GeScalar.Call(this, value);
    public Tensor Le(double value) => Aten.LeScalar.Call(this, value);
    public Tensor Eq(double value) => Aten.EqScalar.Call(this, value);
    public Tensor Eq(Tensor other) => Aten.EqTensor.Call(this, other);
    public Tensor LogicalNot() => Aten.LogicalNot.Call(this);

    /// <summary>True where an element is neither NaN nor infinite.</summary>
    public Tensor IsFinite() => Aten.IsFinite.Call(this);

    /// <summary>Whether every element is true (nonzero), as a bool scalar tensor.</summary>
    public Tensor AllTrue() => Aten.AllElements.Call(this);
}
