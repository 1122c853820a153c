// libtorch's RNG, thread count and the live-tensor counter are process-wide; tests that check them must not interleave.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
