using System.Diagnostics;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// The loader on the demo corpus' pre-training clips (mp4: H.264 video that follows its AAC sound) as MAViL-tiny
/// reads them — fbank 256 x 128 and 8 frames of 64 x 64 per clip — then the generated MavilTiny (specs/mavil-tiny.avml)
/// trained for N steps on the warm cache, reporting the share of step time the trainer waited on data (the step
/// records' <c>data_ms</c>). The cold pass decodes with two workers: two ffmpeg runs per clip (audio, video).
/// </summary>
public static class AvLoaderBenchmark
{
    public static int Run(string corpus, int steps)
    {
        var manifestPath = Path.Combine(corpus, "pretrain.csv");
        if (!File.Exists(manifestPath))
        {
            Console.Error.WriteLine($"{manifestPath} is missing; build the corpus first: ./avdsl corpus");
            return 1;
        }
        var cache = Directory.CreateTempSubdirectory("avdsl-av-loader-bench-").FullName;
        var runs = Directory.CreateTempSubdirectory("avdsl-av-loader-bench-runs-").FullName;
        try
        {
            var source = new ManifestSource(manifestPath, "train", Cache: cache);
            var plan = MavilTinySpec.Plan() with { Data = source };
            var clips = Manifest.Load(manifestPath).Split("train").Count;
            Console.WriteLine($"av loader benchmark: {clips} mp4 clips from {manifestPath}, fbank 256 x 128 + frames 8 x 3 x 64 x 64, " +
                              $"batch {plan.BatchSize}, {Environment.ProcessorCount} cores");

            var clock = Stopwatch.StartNew();
            using (var cold = (MediaBatchLoader)plan.OpenData())
                using (cold.Next(clips)) { }
            Console.WriteLine($"  cold cache (ffmpeg for audio and for video + fbank per clip, 2 workers): {clips / clock.Elapsed.TotalSeconds:0.0} clips/s");

            var result = Trainer.Run(plan, new RunOptions(RunRoot: runs, Steps: steps) { CheckpointEvery = CheckpointInterval.Never });
            const int skip = 3; // the first steps include JIT and allocator warm-up
            var timed = result.Steps.Skip(skip).ToList();
            var stepMs = timed.Sum(s => s.StepMs);
            var waitMs = timed.Sum(s => s.DataMs);
            Console.WriteLine($"  training MavilTiny (warm cache): {timed.Count} steps, {stepMs / timed.Count:0} ms/step, " +
                              $"waiting on data {waitMs / timed.Count:0.0} ms/step = {waitMs / stepMs:P1} of step time (goal < 5%)");
            return 0;
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
            Directory.Delete(cache, recursive: true);
        }
    }
}
