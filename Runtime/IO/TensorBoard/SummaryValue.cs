using System.Text;

namespace AvDsl.Runtime.IO.TensorBoard;

/// <summary>
/// One tagged value of a summary (<c>tensorboard.Summary.Value</c>, compat/proto/summary.proto: tag = 1, simple_value = 2,
/// tensor = 8, metadata = 9), encoded: a scalar, a text, or a plugin's record carried in the metadata.
/// </summary>
public sealed class SummaryValue
{
    private SummaryValue(string tag, ProtobufWriter encoded)
    {
        Tag = tag;
        Encoded = encoded;
    }

    public string Tag { get; }

    internal ProtobufWriter Encoded { get; }

    /// <summary>A scalar as <c>simple_value</c> (float32), which TensorBoard's scalar dashboard reads without metadata.</summary>
    public static SummaryValue Scalar(string tag, float value) => new(tag, new ProtobufWriter().String(1, tag).Float(2, value));

    /// <summary>
    /// A text for the text dashboard (rendered as Markdown): a rank-0 string tensor (dtype DT_STRING = 7, string_val = 8)
    /// marked with the "text" plugin, whose content (TextPluginData at version 0) is empty.
    /// </summary>
    public static SummaryValue Text(string tag, string text)
    {
        var tensor = new ProtobufWriter()
            .Varint(1, DtString)
            .Message(2, new ProtobufWriter()) // tensor_shape with no dims: a scalar
            .Bytes(8, Encoding.UTF8.GetBytes(text));
        return new(tag, new ProtobufWriter().String(1, tag).Message(9, Metadata("text", [])).Message(8, tensor));
    }

    /// <summary>
    /// A record of the HParams plugin (<see cref="HParamsPluginData"/>): the content rides in the metadata; the tensor is
    /// the plugin's placeholder, an empty float vector (DT_FLOAT = 1, shape [0]).
    /// </summary>
    public static SummaryValue HParams(string tag, byte[] content)
    {
        var emptyVector = new ProtobufWriter()
            .Varint(1, DtFloat)
            .Message(2, new ProtobufWriter().Message(2, new ProtobufWriter().Varint(1, 0)));
        return new(tag, new ProtobufWriter().String(1, tag).Message(9, Metadata(HParamsPluginData.PluginName, content)).Message(8, emptyVector));
    }

    private const int DtFloat = 1;
    private const int DtString = 7;

    /// <summary>SummaryMetadata { plugin_data = 1 { plugin_name = 1, content = 2 } }.</summary>
    private static ProtobufWriter Metadata(string pluginName, byte[] content) =>
        new ProtobufWriter().Message(1, new ProtobufWriter().String(1, pluginName).Bytes(2, content));
}
