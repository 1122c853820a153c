// The loader tests use libtorch (process-wide RNG and live-tensor counter) and several spawn ffmpeg; one at a
// time keeps both the numbers and the 2-core CI machine predictable.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
