namespace AvDsl.Runtime.Torch;

/// <summary>
/// The libtorch operators the runtime calls, by schema name and overload. Resolved on first use; a test
/// resolves every one of them against the libtorch in use, so a renamed schema fails loudly in CI.
/// </summary>
internal static class Aten
{
    // Creation
    internal static readonly Op Empty = new("aten::empty", "memory_format");
    internal static readonly Op Zeros = new("aten::zeros");
    internal static readonly Op Ones = new("aten::ones");
    internal static readonly Op Full = new("aten::full");
    internal static readonly Op Rand = new("aten::rand");
    internal static readonly Op Randn = new("aten::randn");
    internal static readonly Op Arange = new("aten::arange", "start_step");
    internal static readonly Op ZerosLike = new("aten::zeros_like");
    internal static readonly Op OnesLike = new("aten::ones_like");
    internal static readonly Op RandnLike = new("aten::randn_like");
    internal static readonly Op Bernoulli = new("aten::bernoulli", "p");
    internal static readonly Op BernoulliTensor = new("aten::bernoulli");
    internal static readonly Op RandGenerator = new("aten::rand", "generator");
    internal static readonly Op RandnGenerator = new("aten::randn", "generator");
    internal static readonly Op RandintLow = new("aten::randint", "low_generator");
    internal static readonly Op Randperm = new("aten::randperm", "generator");
    internal static readonly Op Normal = new("aten::normal", "float_float");
    internal static readonly Op Multinomial = new("aten::multinomial");

    // In-place initialisation and copies
    internal static readonly Op Uniform_ = new("aten::uniform_");
    internal static readonly Op Normal_ = new("aten::normal_");
    internal static readonly Op Fill_ = new("aten::fill_", "Scalar");
    internal static readonly Op Zero_ = new("aten::zero_");
    internal static readonly Op Copy_ = new("aten::copy_");
    internal static readonly Op Mul_ = new("aten::mul_", "Scalar");
    internal static readonly Op Lerp_ = new("aten::lerp_", "Scalar");

    // Conversion and autograd
    internal static readonly Op ToDType = new("aten::to", "dtype");
    internal static readonly Op ToDevice = new("aten::to", "device");
    internal static readonly Op Clone = new("aten::clone");
    internal static readonly Op Detach = new("aten::detach");
    internal static readonly Op Alias = new("aten::alias");
    internal static readonly Op Contiguous = new("aten::contiguous");

    // Shape and views
    internal static readonly Op Reshape = new("aten::reshape");
    internal static readonly Op View = new("aten::view");
    internal static readonly Op Permute = new("aten::permute");
    internal static readonly Op Transpose = new("aten::transpose", "int");
    internal static readonly Op Unsqueeze = new("aten::unsqueeze");
    internal static readonly Op Squeeze = new("aten::squeeze");
    internal static readonly Op SqueezeDim = new("aten::squeeze", "dim");
    internal static readonly Op Expand = new("aten::expand");
    internal static readonly Op Repeat = new("aten::repeat");
    internal static readonly Op Flatten = new("aten::flatten", "using_ints");
    internal static readonly Op Narrow = new("aten::narrow");
    internal static readonly Op Slice = new("aten::slice", "Tensor");
    internal static readonly Op Select = new("aten::select", "int");
    internal static readonly Op Unbind = new("aten::unbind", "int");
    internal static readonly Op Chunk = new("aten::chunk");
    internal static readonly Op Split = new("aten::split", "Tensor");
    internal static readonly Op SplitWithSizes = new("aten::split_with_sizes");
    internal static readonly Op RepeatInterleave = new("aten::repeat_interleave", "self_int");
    internal static readonly Op RepeatInterleaveTensor = new("aten::repeat_interleave", "self_Tensor");
    internal static readonly Op Cat = new("aten::cat");
    internal static readonly Op Stack = new("aten::stack");

    // Indexing
    internal static readonly Op Index = new("aten::index", "Tensor");
    internal static readonly Op Gather = new("aten::gather");
    internal static readonly Op Scatter = new("aten::scatter", "src");
    internal static readonly Op IndexSelect = new("aten::index_select");
    internal static readonly Op MaskedSelect = new("aten::masked_select");
    internal static readonly Op MaskedFill = new("aten::masked_fill", "Scalar");
    internal static readonly Op Where = new("aten::where", "self");

    // Arithmetic
    internal static readonly Op Add = new("aten::add", "Tensor");
    internal static readonly Op AddScalar = new("aten::add", "Scalar");
    internal static readonly Op Sub = new("aten::sub", "Tensor");
    internal static readonly Op SubScalar = new("aten::sub", "Scalar");
    internal static readonly Op RsubScalar = new("aten::rsub", "Scalar");
    internal static readonly Op Mul = new("aten::mul", "Tensor");
    internal static readonly Op MulScalar = new("aten::mul", "Scalar");
    internal static readonly Op Div = new("aten::div", "Tensor");
    internal static readonly Op DivScalar = new("aten::div", "Scalar");
    internal static readonly Op Neg = new("aten::neg");
    internal static readonly Op Reciprocal = new("aten::reciprocal");
    internal static readonly Op PowScalar = new("aten::pow", "Tensor_Scalar");
    internal static readonly Op Sqrt = new("aten::sqrt");
    internal static readonly Op Rsqrt = new("aten::rsqrt");
    internal static readonly Op Exp = new("aten::exp");
    internal static readonly Op Log = new("aten::log");
    internal static readonly Op Abs = new("aten::abs");
    internal static readonly Op Sin = new("aten::sin");
    internal static readonly Op Cos = new("aten::cos");
    internal static readonly Op Tanh = new("aten::tanh");
    internal static readonly Op Sigmoid = new("aten::sigmoid");
    internal static readonly Op Relu = new("aten::relu");
    internal static readonly Op Gelu = new("aten::gelu");
    internal static readonly Op Clamp = new("aten::clamp");
    internal static readonly Op Floor = new("aten::floor");

    // Comparison and logic
    internal static readonly Op GtScalar = new("aten::gt", "Scalar");
    internal static readonly Op LtScalar = new("aten::lt", "Scalar");
    internal static readonly Op GeScalar = new("aten::ge", "Scalar");
    internal static readonly Op LeScalar = new("aten::le", "Scalar");
    internal static readonly Op EqScalar = new("aten::eq", "Scalar");
    internal static readonly Op EqTensor = new("aten::eq", "Tensor");
    internal static readonly Op LogicalNot = new("aten::logical_not");
    internal static readonly Op IsFinite = new("aten::isfinite");

    // Reductions and sorting
    internal static readonly Op SumAll = new("aten::sum");
    internal static readonly Op AllElements = new("aten::all");
    internal static readonly Op SumDims = new("aten::sum", "dim_IntList");
    internal static readonly Op MeanAll = new("aten::mean");
    internal static readonly Op MeanDims = new("aten::mean", "dim");
    internal static readonly Op VarDims = new("aten::var", "dim");
    internal static readonly Op Amax = new("aten::amax");
    internal static readonly Op Amin = new("aten::amin");
    internal static readonly Op VectorNorm = new("aten::linalg_vector_norm");
    internal static readonly Op Argsort = new("aten::argsort");
    internal static readonly Op Argmax = new("aten::argmax");
    internal static readonly Op Topk = new("aten::topk");
    internal static readonly Op Sort = new("aten::sort");
    internal static readonly Op Cumsum = new("aten::cumsum");
    internal static readonly Op Logsumexp = new("aten::logsumexp");

    // Linear algebra and neural-network functions
    internal static readonly Op Matmul = new("aten::matmul");
    internal static readonly Op Bmm = new("aten::bmm");
    internal static readonly Op Linear = new("aten::linear");
    internal static readonly Op Conv1d = new("aten::conv1d");
    internal static readonly Op Conv2d = new("aten::conv2d");
    internal static readonly Op Conv3d = new("aten::conv3d");
    internal static readonly Op Einsum = new("aten::einsum");
    internal static readonly Op InstanceNorm = new("aten::instance_norm");
    internal static readonly Op Silu = new("aten::silu");
    internal static readonly Op CrossEntropy = new("aten::cross_entropy_loss");
    internal static readonly Op BceWithLogits = new("aten::binary_cross_entropy_with_logits");
    internal static readonly Op CosineSimilarity = new("aten::cosine_similarity");
    internal static readonly Op LayerNorm = new("aten::layer_norm");
    internal static readonly Op Softmax = new("aten::softmax", "int");
    internal static readonly Op LogSoftmax = new("aten::log_softmax", "int");
    internal static readonly Op Dropout = new("aten::dropout");
    internal static readonly Op MseLoss = new("aten::mse_loss");

    // Scaled-dot-product attention: the public op from libtorch 2.0, the private tuple-returning one on 1.13.
    // Optional: not every libtorch has both, so they are resolved by name at run time (see Functional).
    internal static readonly Op SdpaPublic = new("aten::scaled_dot_product_attention");
    internal static readonly Op SdpaPrivate = new("aten::_scaled_dot_product_attention");

    /// <summary>Every operator above, for the test that resolves them all.</summary>
    internal static IEnumerable<Op> All =>
        typeof(Aten).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(Op) && f.Name is not (nameof(SdpaPublic) or nameof(SdpaPrivate)))
            .Select(f => (Op)f.GetValue(null)!);
}
