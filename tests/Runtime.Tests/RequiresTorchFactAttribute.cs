using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>A [Fact] that is skipped, with the reason shown, when no python3 on this machine can import torch.</summary>
public sealed class RequiresTorchFactAttribute : FactAttribute
{
    public RequiresTorchFactAttribute()
    {
        if (PythonWithTorch.Interpreter is null)
            Skip = "python3 with torch is not installed (apt-get install python3-torch); the checkpoint was not read by PyTorch.";
    }
}
