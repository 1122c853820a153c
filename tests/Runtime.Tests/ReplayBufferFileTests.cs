using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary><see cref="ReplayBuffer.Save"/> and <see cref="ReplayBuffer.Load"/>: a resumed buffer continues bit for bit,
/// and every file it cannot continue from is a <see cref="ReplayBufferFileException"/> naming the file and the problem.</summary>
public sealed class ReplayBufferFileTests : IDisposable
{
    private const string Identity = "StellaTiny@sha256:0123456789abcdef";
    private const int Capacity = 16;
    private const int BatchSize = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("avdsl-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Step <paramref name="step"/>'s samples: features, a bf16 model output and the sample's number.</summary>
    private static Dictionary<string, Tensor> StepSamples(int step)
    {
        var random = new HostRandom(1000 + step);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)random.Normal()).ToArray();
        return new Dictionary<string, Tensor>
        {
            ["audio"] = T.FromArray(Values(BatchSize * 4 * 3), BatchSize, 4, 3),
            ["summary"] = T.FromArray(Values(BatchSize * 5), BatchSize, 5).To(DType.BFloat16),
            ["id"] = T.FromArray(Enumerable.Range(step * BatchSize, BatchSize).Select(i => (long)i).ToArray()),
        };
    }

    /// <summary>One training step's use of the buffer: draw a replay batch (its bytes recorded), then offer the step's
    /// samples; a task boundary at step 30 clears it.</summary>
    private static void Step(ReplayBuffer buffer, int step, List<byte[]> record)
    {
        using var scope = new TensorScope();
        if (step == 30)
            buffer.Clear();
        var replay = buffer.Sample(5);
        foreach (var field in replay.Fields.Order())
            record.Add(Bytes(replay[field]));
        buffer.Add(StepSamples(step));
    }

    private static byte[] Bytes(Tensor tensor)
    {
        var bytes = new byte[tensor.ByteCount];
        tensor.CopyBytesTo(bytes);
        return bytes;
    }

    private static List<byte[]> ContentBytes(ReplayBuffer buffer)
    {
        using var scope = new TensorScope();
        var contents = buffer.Contents();
        return contents.Fields.Order().Select(f => Bytes(contents[f])).ToList();
    }

    private ReplayBuffer FilledBuffer(int steps, string identity = Identity, int capacity = Capacity)
    {
        var buffer = new ReplayBuffer(capacity, seed: 7, identity);
        for (var step = 0; step < steps; step++)
            Step(buffer, step, []);
        return buffer;
    }

    [Theory]
    [InlineData(2)]  // while it fills (12 of 16 rows)
    [InlineData(20)] // full, replacing
    [InlineData(35)] // after a task boundary cleared it
    public void A_loaded_buffer_continues_bit_for_bit_like_one_never_stopped(int stopAt)
    {
        const int steps = 45;
        var uninterrupted = new List<byte[]>();
        using var reference = new ReplayBuffer(Capacity, seed: 7, Identity);
        for (var step = 0; step < steps; step++)
            Step(reference, step, uninterrupted);

        var resumed = new List<byte[]>();
        var path = PathOf("buffer.safetensors");
        using (var first = new ReplayBuffer(Capacity, seed: 7, Identity))
        {
            for (var step = 0; step < stopAt; step++)
                Step(first, step, resumed);
            first.Save(path);
        }
        // Another seed: what continues is the saved generators' state, not a re-seeded one.
        using var second = new ReplayBuffer(Capacity, seed: 12345, Identity);
        second.Load(path);
        for (var step = stopAt; step < steps; step++)
            Step(second, step, resumed);

        Assert.Equal(uninterrupted.Count, resumed.Count);
        for (var i = 0; i < uninterrupted.Count; i++)
            Assert.True(uninterrupted[i].AsSpan().SequenceEqual(resumed[i]), $"replayed tensor {i} differs after resuming at step {stopAt}");
        Assert.Equal(reference.Count, second.Count);
        Assert.Equal(reference.Seen, second.Seen);
        Assert.Equal(ContentBytes(reference), ContentBytes(second));
    }

    [Fact]
    public void Load_restores_counts_fields_and_contents()
    {
        var path = PathOf("b.safetensors");
        using (var saved = FilledBuffer(steps: 9))
            saved.Save(path);
        using var expected = FilledBuffer(steps: 9);

        using var loaded = new ReplayBuffer(Capacity, seed: 7, Identity);
        loaded.Load(path);
        Assert.Equal(Capacity, loaded.Count);
        Assert.Equal(9 * BatchSize, loaded.Seen);
        Assert.Equal(expected.Fields, loaded.Fields);
        Assert.Equal(["audio: Float32[4, 3]", "id: Int64[]", "summary: BFloat16[5]"], loaded.Fields.Select(f => f.ToString()));
        Assert.Equal(ContentBytes(expected), ContentBytes(loaded));
    }

    [Fact]
    public void The_file_is_safetensors_with_the_rows_held_and_the_state_as_metadata()
    {
        var path = PathOf("c.safetensors");
        using (var buffer = FilledBuffer(steps: 2))
            buffer.Save(path);

        using var file = SafeTensors.Read(path);
        Assert.Equal(["field.audio", "field.id", "field.summary"], file.Tensors.Keys);
        Assert.Equal([12L, 4, 3], file.Tensors["field.audio"].Shape);
        Assert.Equal(DType.BFloat16, file.Tensors["field.summary"].DType);
        var metadata = file.Metadata;
        Assert.Equal("avdsl-replay-buffer/1", metadata["format"]);
        Assert.Equal(Identity, metadata["identity"]);
        Assert.Equal("16", metadata["capacity"]);
        Assert.Equal("12", metadata["count"]);
        Assert.Equal("12", metadata["seen"]);
        Assert.Equal("7", metadata["seed"]);
        Assert.Equal(new HostRandom(7).State.ToString(), metadata["rng.reservoir"]); // no draw while filling
        Assert.NotEqual(new HostRandom(7).State, HostRandomState.Parse(metadata["rng.draws"])); // its own stream
        Assert.Equal(["audio", "id", "summary"], JsonSerializer.Deserialize<string[]>(metadata["fields"])!);
        Assert.Equal("audio: Float32[4, 3]; id: Int64[]; summary: BFloat16[5]", metadata["layout"]);
    }

    [Fact]
    public void A_buffer_that_never_stored_a_sample_saves_and_loads_empty()
    {
        var path = PathOf("empty.safetensors");
        using (var buffer = new ReplayBuffer(Capacity, seed: 7, Identity))
            buffer.Save(path);

        using var loaded = new ReplayBuffer(Capacity, seed: 7, Identity);
        loaded.Load(path);
        Assert.True(loaded.IsEmpty);
        Assert.Equal(0, loaded.Seen);
        Assert.Empty(loaded.Fields);
        using var scope = new TensorScope();
        loaded.Add(StepSamples(0));
        Assert.Equal(BatchSize, loaded.Count);
    }

    [Fact]
    public void Save_refuses_to_replace_a_file_and_leaves_no_temporary_behind()
    {
        var path = PathOf("d.safetensors");
        using var buffer = FilledBuffer(steps: 3);
        buffer.Save(path);
        var before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => buffer.Save(path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["d.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error_and_the_buffer_stays_as_it_was()
    {
        var path = PathOf("whole.safetensors");
        using (var saved = FilledBuffer(steps: 9))
            saved.Save(path);
        var bytes = File.ReadAllBytes(path);
        var headerEnd = 8 + (int)BitConverter.ToUInt64(bytes, 0);

        using var buffer = FilledBuffer(steps: 4);
        var contents = ContentBytes(buffer);
        foreach (var length in new[] { 0, 5, 8, headerEnd / 2, headerEnd, bytes.Length / 2, bytes.Length - 1 })
        {
            var truncated = PathOf($"truncated-{length}.safetensors");
            File.WriteAllBytes(truncated, bytes[..length]);

            var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(truncated));
            Assert.Equal(ReplayBufferFileProblem.Damaged, error.Problem);
            Assert.Equal(truncated, error.Path);
            Assert.Contains(truncated, error.Message);
            Assert.Contains("truncated or damaged", error.Message);
            Assert.Contains("start the run again", error.Message);
            Assert.Equal(4 * BatchSize, buffer.Seen);
            Assert.Equal(contents, ContentBytes(buffer));
        }
    }

    [Fact]
    public void A_file_whose_counts_contradict_its_rows_is_damaged()
    {
        var path = PathOf("e.safetensors");
        using (var saved = FilledBuffer(steps: 9))
            saved.Save(path);
        using var original = SafeTensors.Read(path);

        void Tampered(string name, string key, string value)
        {
            var metadata = original.Metadata.ToDictionary();
            metadata[key] = value;
            SafeTensors.Write(PathOf(name), original.Tensors, metadata);
        }
        Tampered("count.safetensors", "count", "15");
        Tampered("seen.safetensors", "seen", "3");
        Tampered("rng.safetensors", "rng.reservoir", "not a state");
        Tampered("fields.safetensors", "fields", "[\"audio\"]");

        using var buffer = new ReplayBuffer(Capacity, seed: 7, Identity);
        foreach (var name in new[] { "count", "seen", "rng", "fields" })
        {
            var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(PathOf($"{name}.safetensors")));
            Assert.Equal(ReplayBufferFileProblem.Damaged, error.Problem);
        }
        Assert.True(buffer.IsEmpty);
        Assert.Empty(buffer.Fields);
    }

    [Fact]
    public void A_file_from_another_spec_is_refused_naming_both()
    {
        var path = PathOf("other-spec.safetensors");
        using (var saved = FilledBuffer(steps: 3, identity: "ErTiny@sha256:fedcba9876543210"))
            saved.Save(path);

        using var buffer = new ReplayBuffer(Capacity, seed: 7, Identity);
        var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(path));
        Assert.Equal(ReplayBufferFileProblem.OtherSpec, error.Problem);
        Assert.Contains(path, error.Message);
        Assert.Contains("ErTiny@sha256:fedcba9876543210", error.Message);
        Assert.Contains(Identity, error.Message);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_file_of_another_capacity_is_refused_naming_both()
    {
        var path = PathOf("other-size.safetensors");
        using (var saved = FilledBuffer(steps: 3, capacity: 32))
            saved.Save(path);

        using var buffer = new ReplayBuffer(Capacity, seed: 7, Identity);
        var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(path));
        Assert.Equal(ReplayBufferFileProblem.OtherCapacity, error.Problem);
        Assert.Contains(path, error.Message);
        Assert.Contains("size 32", error.Message);
        Assert.Contains("size 16", error.Message);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_file_with_other_fields_is_refused_naming_both()
    {
        var path = PathOf("other-fields.safetensors");
        using (var saved = FilledBuffer(steps: 3))
            saved.Save(path);

        using var buffer = new ReplayBuffer(Capacity, seed: 7, Identity, [new ReplayField("audio", DType.Float32, [4, 3]), new ReplayField("id", DType.Int64, [])]);
        var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(path));
        Assert.Equal(ReplayBufferFileProblem.OtherFields, error.Problem);
        Assert.Contains("summary: BFloat16[5]", error.Message);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_checkpoint_or_a_missing_file_is_refused_as_such()
    {
        var checkpoint = PathOf("checkpoint-step-4.safetensors");
        using (new TensorScope())
            SafeTensors.Write(checkpoint, [new("weight", T.Zeros(2, 2))], new Dictionary<string, string> { ["format"] = "avdsl-checkpoint/2" });
        using var buffer = new ReplayBuffer(Capacity, seed: 7, Identity);

        var notBuffer = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(checkpoint));
        Assert.Equal(ReplayBufferFileProblem.NotAReplayBuffer, notBuffer.Problem);
        Assert.Contains("avdsl-checkpoint/2", notBuffer.Message);

        var missing = PathOf("nowhere.safetensors");
        var error = Assert.Throws<ReplayBufferFileException>(() => buffer.Load(missing));
        Assert.Equal(ReplayBufferFileProblem.Missing, error.Problem);
        Assert.Contains(missing, error.Message);
        Assert.True(buffer.IsEmpty);
    }
}
