using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.Module</c>. Declare parameters, buffers and submodules as fields or get-only auto-properties
/// (any visibility) — they are discovered in declaration order, no registration needed:
/// <code>
/// public Linear Qkv { get; }                      // key "qkv"
/// private readonly ModuleList&lt;Block&gt; _blocks;      // keys "blocks.0...", "blocks.1..."
/// public Parameter MaskToken { get; }             // key "mask_token"
/// </code>
/// The module owns its parameters and buffers: no <see cref="TensorScope"/> frees them; <see cref="Dispose"/> does.
/// </summary>
public abstract class Module : IDisposable
{
    private bool _disposed;

    /// <summary>True in training mode (dropout, drop-path active); see <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>True once <see cref="Freeze"/> ran on this module or one holding it.</summary>
    public bool Frozen { get; private set; }

    /// <summary>Sets training mode on this module and every descendant, frozen ones excepted; returns this module.</summary>
    public Module Train(bool training = true)
    {
        foreach (var module in Modules())
            module.Training = training && !module.Frozen;
        return this;
    }

    /// <summary>Evaluation mode (PyTorch's <c>eval()</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// No gradients and evaluation mode for good, for this module and every descendant: a later <see cref="Train"/>,
    /// also of a module holding it, leaves it in evaluation mode (a teacher loaded from another run, which the trainer's
    /// <c>model.Train()</c> must not switch to training). Returns this module.
    /// </summary>
    public Module Freeze()
    {
        foreach (var parameter in Parameters())
            parameter.RequiresGrad = false;
        foreach (var module in Modules())
        {
            module.Frozen = true;
            module.Training = false;
        }
        return this;
    }

    // ---- discovery ------------------------------------------------------------------------------------

    internal virtual IEnumerable<(string Key, object Value)> DirectMembers() => ModuleMembers.Of(this);

    public IEnumerable<KeyValuePair<string, Module>> NamedChildren()
    {
        foreach (var (key, value) in DirectMembers())
            if (value is Module child)
                yield return new(key, child);
    }

    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Value);

    /// <summary>This module and all descendants, each once, depth-first.</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Value);

    public IEnumerable<KeyValuePair<string, Module>> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return Walk(this, "");

        IEnumerable<KeyValuePair<string, Module>> Walk(Module module, string prefix)
        {
            if (!seen.Add(module))
                yield break;
            yield return new(prefix, module);
            foreach (var (key, child) in module.NamedChildren())
                foreach (var item in Walk(child, prefix.Length == 0 ? key : $"{prefix}.{key}"))
                    yield return item;
        }
    }

    /// <summary>Every parameter with its dotted key (own first, then children's), each parameter once.</summary>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters() => Named<Parameter>(dedupe: true);

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Value);

    public IEnumerable<KeyValuePair<string, ModuleBuffer>> NamedBuffers() => Named<ModuleBuffer>(dedupe: true);

    public IEnumerable<ModuleBuffer> Buffers() => NamedBuffers().Select(b => b.Value);

    /// <summary>Number of trainable elements.</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumElements);

    private IEnumerable<KeyValuePair<string, T>> Named<T>(bool dedupe) where T : Tensor
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (key, tensor) in Entries(""))
        {
            if (tensor is not T typed || (dedupe && !seen.Add(typed)))
                continue;
            typed.Name ??= key;
            yield return new(key, typed);
        }
    }

    // Own parameters and buffers first, then each child's, like PyTorch's state_dict order.
    private IEnumerable<(string Key, Tensor Tensor)> Entries(string prefix)
    {
        var members = DirectMembers().ToList();
        foreach (var (key, value) in members)
            if (value is Parameter p)
                yield return (prefix + key, p);
        foreach (var (key, value) in members)
            if (value is ModuleBuffer b)
                yield return (prefix + key, b);
        foreach (var (key, value) in members)
            if (value is Module child)
                foreach (var entry in child.Entries($"{prefix}{key}."))
                    yield return entry;
    }

    // ---- state dict -----------------------------------------------------------------------------------

    /// <summary>
    /// Parameters and buffers by key (<c>encoder.blocks.0.attn.qkv.weight</c>), in PyTorch's order. The values
    /// are the module's own tensors: read or save them, do not dispose them.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (key, tensor) in Entries(""))
        {
            tensor.Name ??= key;
            result[key] = tensor;
        }
        return result;
    }

    /// <summary>
    /// Copies values from <paramref name="source"/> into this module's parameters and buffers. Shapes must
    /// match; with <paramref name="strict"/> every key must be present on both sides. Nothing is copied when a
    /// check fails; the exception names every offending key.
    /// </summary>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
    {
        var own = StateDict();
        var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = new List<string>();
        foreach (var (key, target) in own)
        {
            if (!source.TryGetValue(key, out var value))
                continue;
            if (!target.Shape.AsSpan().SequenceEqual(value.Shape))
                mismatched.Add($"{key}: checkpoint {value.Describe()} vs model {target.Describe()}");
        }
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictMismatchException(GetType().Name, missing, unexpected, mismatched);

        foreach (var (key, target) in own)
            if (source.TryGetValue(key, out var value))
                target.CopyFrom(value);
        return new LoadStateDictResult(missing, unexpected);
    }

    // ---- device and dtype -----------------------------------------------------------------------------

    /// <summary>Converts floating-point parameters and buffers in place (PyTorch's <c>module.double()</c> etc.).</summary>
    public Module To(DType dtype)
    {
        Convert(t => t.DType.IsFloatingPoint() && t.DType != dtype ? t.To(dtype) : null);
        return this;
    }

    /// <summary>Moves parameters and buffers to <paramref name="device"/> in place.</summary>
    public Module To(Device device)
    {
        Convert(t => t.Device == device ? null : t.To(device));
        return this;
    }

    private void Convert(Func<Tensor, Tensor?> convert)
    {
        using var _ = new GradModeScope(enabled: false);
        foreach (var tensor in Parameters().Cast<Tensor>().Concat(Buffers()))
        {
            var requiresGrad = tensor.RequiresGrad;
            using var scope = new TensorScope(); // frees the converted copy once the parameter refers to its data
            var converted = convert(tensor);
            if (converted is null)
                continue;
            tensor.SetData(converted);
            if (requiresGrad)
                tensor.RequiresGrad = true;
        }
    }

    // ---- lifetime -------------------------------------------------------------------------------------

    /// <summary>Frees every parameter and buffer of this module and its descendants.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var (_, tensor) in Entries(""))
            tensor.Dispose();
        ReleaseState();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a module owns besides its parameters and buffers (a model's replay buffers), once, on <see cref="Dispose"/>.</summary>
    protected virtual void ReleaseState() { }
}
