namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl cost</c> was asked for.</summary>
/// <param name="Specs">Spec names or spec files (every spec a file holds is costed).</param>
/// <param name="Json">One JSON array instead of a table.</param>
/// <param name="MeasureSteps">Also train each spec this many steps and show what was measured.</param>
/// <param name="Set">Spec overrides, <c>path=value</c> each (<c>--set</c>), applied to every spec costed.</param>
public sealed record CostOptions(IReadOnlyList<string> Specs, bool Json = false, int? MeasureSteps = null, IReadOnlyList<string>? Set = null);
