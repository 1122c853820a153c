namespace AvDsl.Runtime.Torch;

/// <summary>
/// Sees every operator call made on its thread while it is installed in <see cref="Op.Observer"/>: the hook the
/// cost counter (<c>Telemetry.CostCounter</c>) uses. With no observer installed an op call pays one thread-static read.
/// </summary>
internal interface IOpObserver
{
    /// <summary>Called after <paramref name="op"/> returned <paramref name="results"/> (still owned by the caller).</summary>
    void Observed(Op op, ReadOnlySpan<OpArg> args, ReadOnlySpan<AvtValue> results);
}
