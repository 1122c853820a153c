using System.Diagnostics;
using AvDsl.Demo;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// The loader on the demo corpus's keyword clips (mp4, H.264 + AAC) as EAT-tiny's input (fbank, 256 frames):
/// a cold pass that fills the feature cache, the warm loader's raw throughput, and then training the
/// EAT-tiny-sized stand-in for N steps on the warm loader, reporting the share of step time spent waiting on data.
/// </summary>
public static class LoaderBenchmark
{
    public static int Run(string corpus, int steps, int batch)
    {
        var manifestPath = Path.Combine(corpus, "keywords", DemoCorpus.ManifestFile);
        if (!File.Exists(manifestPath))
        {
            Console.Error.WriteLine($"{manifestPath} is missing; build the corpus first: ./avdsl corpus");
            return 1;
        }
        var entries = Manifest.Load(manifestPath).Entries;
        var cache = Directory.CreateTempSubdirectory("avdsl-loader-bench-").FullName;
        try
        {
            IClipFeatures[] Features() => [new FbankClipFeatures("audio", frames: 256, mean: -4.268, std: 4.569)];
            Console.WriteLine($"loader benchmark: {entries.Count} mp4 clips from {manifestPath}, fbank 256 x 128, batch {batch}, {Environment.ProcessorCount} cores");

            var clock = Stopwatch.StartNew();
            using (var cold = new MediaBatchLoader(entries, Features(), new LoaderOptions(Seed: 0, Shuffle: false, CacheDirectory: cache, Prefetch: 16)))
                using (cold.Next(entries.Count)) { }
            var coldSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  cold cache (one ffmpeg run + fbank per clip, 2 workers): {entries.Count / coldSeconds:0.0} clips/s");

            clock.Restart();
            var warmBatches = 3 * entries.Count / batch;
            using (var warm = new MediaBatchLoader(entries, Features(), new LoaderOptions(Seed: 1, CacheDirectory: cache)))
                for (var i = 0; i < warmBatches; i++) using (warm.Next(batch)) { }
            var warmSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  warm cache, loader alone: {warmBatches * batch / warmSeconds:0} clips/s ({warmBatches / warmSeconds:0.0} batches/s)");

            TimedBatchSource? timed = null;
            var plan = EatTinyStandIn.Plan(seed =>
                timed = new TimedBatchSource(new MediaBatchLoader(entries, Features(), new LoaderOptions(Seed: seed, CacheDirectory: cache))), Features(), steps, batch);
            var runs = Directory.CreateTempSubdirectory("avdsl-loader-bench-runs-").FullName;
            try
            {
                var result = Trainer.Run(plan, new RunOptions(RunRoot: runs));
                const int skip = 3; // the first steps include JIT and allocator warm-up on both sides
                var stepMs = result.Steps.Skip(skip).Sum(s => s.StepMs);
                var waitMs = timed!.WaitMs.Skip(skip).Sum();
                Console.WriteLine($"  training the EAT-tiny-sized stand-in (warm cache): {steps - skip} steps, {stepMs / (steps - skip):0} ms/step, " +
                                  $"waiting on data {waitMs / (steps - skip):0.0} ms/step = {waitMs / stepMs:P1} of step time (goal < 5%)");
            }
            finally
            {
                Directory.Delete(runs, recursive: true);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
