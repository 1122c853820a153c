using System.Text.Json;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// A run's TensorBoard event files, read by an independent reader (TensorBoard/read_events.py: python3-protobuf with the
/// messages declared from TensorBoard's .proto files, python3-crc32c for the framing), hold what metrics.jsonl and spec.avml
/// hold; a resumed run's restart makes TensorBoard's purge leave exactly metrics.jsonl's steps.
/// </summary>
[Collection(nameof(GlobalRandomness))]
public sealed class TensorBoardEventTests
{
    private const int SessionLogStart = 1;
    private const int StatusSuccess = 1;
    private const int StatusFailure = 2;

    [Fact]
    public void Avdsl_train_writes_event_files_an_independent_reader_accepts()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--steps", "4", "--runs", runs);
        Assert.True(exit == 0, error);
        var runDirectory = Assert.Single(Directory.GetDirectories(runs));

        var file = Assert.Single(ReadEvents(runDirectory));
        var events = file.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("brain.Event:2", events[0].GetProperty("file_version").GetString());
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        Assert.All(events, e => Assert.InRange(e.GetProperty("wall_time").GetDouble(), now - 60, now + 1));
        Assert.Contains(events, e => e.TryGetProperty("session_log", out var status) && status.GetInt32() == SessionLogStart && e.GetProperty("step").GetInt64() == 0);

        var spec = Assert.Single(Values(events), v => v.Value.GetProperty("tag").GetString() == TensorBoardWriter.SpecTag);
        Assert.Equal(0, spec.Step);
        Assert.Equal("text", spec.Value.GetProperty("plugin").GetString());
        Assert.Equal(7, spec.Value.GetProperty("dtype").GetInt32()); // DT_STRING
        Assert.Equal(File.ReadAllText(Path.Combine(runDirectory, Trainer.SpecFileName)), Assert.Single(spec.Value.GetProperty("text").EnumerateArray()).GetString());

        var start = Assert.Single(Values(events), v => v.Value.GetProperty("tag").GetString() == "_hparams_/session_start_info").Value;
        Assert.Equal("hparams", start.GetProperty("plugin").GetString());
        var hparams = start.GetProperty("session_start_info").GetProperty("hparams");
        Assert.Equal("TinyMae", hparams.GetProperty("spec").GetString());
        Assert.Equal(0, hparams.GetProperty("seed").GetDouble());
        Assert.InRange(start.GetProperty("session_start_info").GetProperty("start_time_secs").GetDouble(), now - 60, now + 1);
        var end = Assert.Single(Values(events), v => v.Value.GetProperty("tag").GetString() == "_hparams_/session_end_info").Value;
        Assert.Equal(StatusSuccess, end.GetProperty("session_end_info").GetProperty("status").GetInt32());
        Assert.InRange(end.GetProperty("session_end_info").GetProperty("end_time_secs").GetDouble(), now - 60, now + 1);

        AssertScalarsAreTheMetrics(runDirectory, Values(events), expectedSteps: 4);
    }

    [Fact]
    public void A_failed_run_ends_as_failure_and_its_resume_restarts_where_metrics_jsonl_was_cut()
    {
        using var temp = new TempFolder();
        var plan = TinyMaeSpec.Plan() with { Steps = 6 };
        var options = new RunOptions(RunRoot: temp.Path)
        {
            CheckpointEvery = CheckpointInterval.Steps(2),
            Hyperparameters = new Dictionary<string, object> { ["view.ratio"] = 0.75, ["norm"] = "pre", ["ema"] = false },
        };
        string? runDirectory = null;
        // Fails after step 3 was logged; the newest checkpoint is step 2.
        var failure = Assert.Throws<InvalidOperationException>(() => Trainer.Run(plan, options, d => runDirectory = d,
            onStep: s => { if (s.Step == 3) throw new InvalidOperationException("stopped by the test"); }));
        Assert.Equal("stopped by the test", failure.Message);
        Assert.NotNull(runDirectory);

        var first = Assert.Single(ReadEvents(runDirectory)).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(3, Values(first).Where(v => v.Value.GetProperty("tag").GetString() == "loss").Max(v => v.Step));
        var failed = Assert.Single(Values(first), v => v.Value.GetProperty("tag").GetString() == "_hparams_/session_end_info").Value;
        Assert.Equal(StatusFailure, failed.GetProperty("session_end_info").GetProperty("status").GetInt32());
        var hparams = Assert.Single(Values(first), v => v.Value.GetProperty("tag").GetString() == "_hparams_/session_start_info")
            .Value.GetProperty("session_start_info").GetProperty("hparams");
        Assert.Equal(0.75, hparams.GetProperty("view.ratio").GetDouble());
        Assert.Equal("pre", hparams.GetProperty("norm").GetString());
        Assert.False(hparams.GetProperty("ema").GetBoolean());

        Trainer.Resume(plan, runDirectory);
        var files = ReadEvents(runDirectory);
        Assert.Equal(2, files.Count);
        var second = files[1].GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("brain.Event:2", second[0].GetProperty("file_version").GetString());
        Assert.Equal(SessionLogStart, second[1].GetProperty("session_log").GetInt32());
        Assert.Equal(3, second[1].GetProperty("step").GetInt64()); // the first step the resumed run logs
        var succeeded = Assert.Single(Values(second), v => v.Value.GetProperty("tag").GetString() == "_hparams_/session_end_info").Value;
        Assert.Equal(StatusSuccess, succeeded.GetProperty("session_end_info").GetProperty("status").GetInt32());

        // Without the purge, step 3 would be there twice: once from the failed run, once from the resume.
        var all = files.SelectMany(f => f.GetProperty("events").EnumerateArray()).ToList();
        Assert.Equal(2, Values(all).Count(v => v.Step == 3 && v.Value.GetProperty("tag").GetString() == "loss"));
        AssertScalarsAreTheMetrics(runDirectory, Values(Purged(all)), expectedSteps: 6);
    }

    [Fact]
    public void The_reader_refuses_a_file_whose_checksum_does_not_check()
    {
        using var temp = new TempFolder();
        var result = Trainer.Run(TinyMaeSpec.Plan() with { Steps = 1 }, new RunOptions(RunRoot: temp.Path));
        var path = Assert.Single(Directory.GetFiles(result.RunDirectory, "events.out.tfevents.*"));
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x01; // a byte of the last record's data
        File.WriteAllBytes(path, bytes);

        var (exit, output) = ProcessRunner.Run(result.RunDirectory, Python, null, Reader, result.RunDirectory);
        Assert.Equal(1, exit);
        Assert.Contains("data CRC", output);
    }

    private const string Python = "/usr/bin/python3";

    private static string Reader => Path.Combine(Repository.Root, "tests", "EndToEnd.Tests", "TensorBoard", "read_events.py");

    private static List<JsonElement> ReadEvents(string runDirectory)
    {
        var (exit, output) = ProcessRunner.Run(runDirectory, Python, null, Reader, runDirectory);
        Assert.True(exit == 0, $"read_events.py failed (python3-protobuf and python3-crc32c are installed by ./avdsl test):\n{output}");
        return JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().ToList();
    }

    private static List<(long Step, JsonElement Value)> Values(IEnumerable<JsonElement> events) =>
        events.Where(e => e.TryGetProperty("summary", out _))
            .SelectMany(e => e.GetProperty("summary").EnumerateArray().Select(v => (e.GetProperty("step").GetInt64(), v)))
            .ToList();

    /// <summary>What TensorBoard keeps of events read in order (file_version 2): each SessionLog START after the first drops
    /// the events before it whose step is at or after its own.</summary>
    private static List<JsonElement> Purged(IEnumerable<JsonElement> events)
    {
        var kept = new List<JsonElement>();
        var started = false;
        foreach (var e in events)
        {
            if (e.TryGetProperty("session_log", out var status) && status.GetInt32() == SessionLogStart)
            {
                if (started)
                    kept.RemoveAll(k => k.GetProperty("step").GetInt64() >= e.GetProperty("step").GetInt64());
                started = true;
            }
            kept.Add(e);
        }
        return kept;
    }

    /// <summary>Every field of every metrics.jsonl line but "step" is a scalar of that tag at that step, with that value (as
    /// float32, simple_value's type), and there are no other scalars.</summary>
    private static void AssertScalarsAreTheMetrics(string runDirectory, List<(long Step, JsonElement Value)> values, int expectedSteps)
    {
        var scalars = values.Where(v => v.Value.TryGetProperty("simple_value", out _))
            .Select(v => (v.Step, Tag: v.Value.GetProperty("tag").GetString()!, Value: v.Value.GetProperty("simple_value").GetDouble()))
            .ToList();
        var expected = new List<(long Step, string Tag, double Value)>();
        foreach (var line in File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName)))
        {
            using var json = JsonDocument.Parse(line);
            var step = json.RootElement.GetProperty("step").GetInt64();
            foreach (var field in json.RootElement.EnumerateObject().Where(f => f.Name != "step"))
                expected.Add((step, field.Name, (float)field.Value.GetDouble()));
        }
        Assert.Equal(expectedSteps, expected.Select(e => e.Step).Distinct().Count());
        Assert.Contains(expected, e => e.Tag == "recon");
        Assert.Equal(expected.OrderBy(e => e.Step).ThenBy(e => e.Tag, StringComparer.Ordinal),
            scalars.OrderBy(e => e.Step).ThenBy(e => e.Tag, StringComparer.Ordinal));
    }
}
