namespace AvDsl.Runtime.Torch;

/// <summary>How a loss reduces over elements; the values are libtorch's <c>at::Reduction</c> codes.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}
