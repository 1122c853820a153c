using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>Tests that compare losses of whole runs: masks and noise draw from libtorch's one global generator, so
/// another test drawing from it at the same time would change their numbers. They run alone.</summary>
[CollectionDefinition(nameof(GlobalRandomness), DisableParallelization = true)]
public sealed class GlobalRandomness;
