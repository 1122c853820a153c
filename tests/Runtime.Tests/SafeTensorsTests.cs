using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("avdsl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void File_layout_follows_the_safetensors_spec_and_round_trips()
    {
        using var scope = new TensorScope();
        var a = T.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = T.FromArray(new long[] { -1, 0, 1, long.MaxValue });
        var path = Path.Combine(_directory, "x.safetensors");
        SafeTensors.Write(path, [new("a", a), new("b.weight", b)], new Dictionary<string, string> { ["step"] = "7", ["spec"] = "spec X {}" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 24 + 32, bytes.Length);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        var root = header.RootElement;
        Assert.Equal("F32", root.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal([2L, 3L], root.GetProperty("a").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0L, 24L], root.GetProperty("a").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("I64", root.GetProperty("b.weight").GetProperty("dtype").GetString());
        Assert.Equal([24L, 56L], root.GetProperty("b.weight").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("7", root.GetProperty("__metadata__").GetProperty("step").GetString());
        var dataStart = 8 + (int)headerLength;
        Assert.Equal(3f, BitConverter.ToSingle(bytes, dataStart + 8)); // little-endian float32 at element 2

        using var file = SafeTensors.Read(path);
        Assert.Equal(["a", "b.weight"], file.Tensors.Keys);
        Assert.Equal(new long[] { 2, 3 }, file.Tensors["a"].Shape);
        Assert.Equal(a.ToArray<float>(), file.Tensors["a"].ToArray<float>());
        Assert.Equal(b.ToArray<long>(), file.Tensors["b.weight"].ToArray<long>());
        Assert.Equal("spec X {}", file.Metadata["spec"]);
    }

    [Fact]
    public void Existing_files_are_never_overwritten_and_no_temporary_is_left()
    {
        using var scope = new TensorScope();
        var path = Path.Combine(_directory, "y.safetensors");
        SafeTensors.Write(path, [new("x", T.Ones(2))]);
        Assert.Throws<IOException>(() => SafeTensors.Write(path, [new("x", T.Zeros(2))]));
        Assert.Equal(["y.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        using var file = SafeTensors.Read(path);
        Assert.Equal(new float[] { 1, 1 }, file.Tensors["x"].ToArray<float>());
    }

    [Fact]
    public void A_selective_read_loads_only_the_chosen_tensors_and_all_the_metadata()
    {
        using var scope = new TensorScope();
        var path = Path.Combine(_directory, "some.safetensors");
        SafeTensors.Write(path, [new("encoder.w", T.FromArray(new float[] { 1, 2 })), new("decoder.w", T.FromArray(new float[] { 3 }))],
            new Dictionary<string, string> { ["spec_name"] = "S" });

        using var file = SafeTensors.Read(path, key => key.StartsWith("encoder.", StringComparison.Ordinal));

        Assert.Equal(["encoder.w"], file.Tensors.Keys);
        Assert.Equal([1f, 2f], file.Tensors["encoder.w"].ToArray<float>());
        Assert.Equal("S", file.Metadata["spec_name"]);
    }

    [Fact]
    public void Corrupt_offsets_are_reported()
    {
        var path = Path.Combine(_directory, "bad.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}");
        var bytes = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains("'x'", error.Message);
    }
}
