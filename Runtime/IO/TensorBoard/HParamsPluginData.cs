using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AvDsl.Runtime.IO.TensorBoard;

/// <summary>
/// The content TensorBoard's HParams plugin reads from a summary's plugin data (<c>tensorboard.hparams.HParamsPluginData</c>,
/// plugins/hparams/plugin_data.proto): a session's start, with its hyperparameters, and its end, with its status.
/// </summary>
public static class HParamsPluginData
{
    public const string PluginName = "hparams";
    public const string SessionStartTag = "_hparams_/session_start_info";
    public const string SessionEndTag = "_hparams_/session_end_info";

    /// <summary>The plugin's schema version (its <c>PLUGIN_DATA_VERSION</c>).</summary>
    private const int Version = 0;

    /// <summary>
    /// HParamsPluginData { version, session_start_info = 3 { hparams = 1 (map to google.protobuf.Value), group_name = 4,
    /// start_time_secs = 5 } }. Values are strings, numbers (any .NET numeric type, stored as double) or booleans.
    /// Sessions with the same hyperparameters share a group name, so the plugin lists repeats of one setting together.
    /// </summary>
    public static byte[] SessionStart(IReadOnlyDictionary<string, object> hyperparameters, double startTimeSeconds)
    {
        var info = new ProtobufWriter();
        var canonical = new StringBuilder();
        foreach (var (name, value) in hyperparameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            info.Message(1, new ProtobufWriter().String(1, name).Message(2, ProtobufValue(name, value)));
            canonical.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        }
        info.String(4, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()))));
        info.Double(5, startTimeSeconds);
        return new ProtobufWriter().Varint(1, Version).Message(3, info).ToArray();
    }

    /// <summary>HParamsPluginData { version, session_end_info = 4 { status = 1, end_time_secs = 2 } }.</summary>
    public static byte[] SessionEnd(HParamsSessionStatus status, double endTimeSeconds) =>
        new ProtobufWriter().Varint(1, Version)
            .Message(4, new ProtobufWriter().Varint(1, (int)status).Double(2, endTimeSeconds))
            .ToArray();

    /// <summary>google.protobuf.Value: number_value = 2, string_value = 3, bool_value = 4.</summary>
    private static ProtobufWriter ProtobufValue(string name, object value) => value switch
    {
        string text => new ProtobufWriter().String(3, text),
        bool flag => new ProtobufWriter().Bool(4, flag),
        double or float or int or long or short or byte or uint or ulong or decimal =>
            new ProtobufWriter().Double(2, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        null => throw new ArgumentException($"hyperparameter '{name}' is null; TensorBoard's HParams plugin takes a string, a number or a boolean.", nameof(value)),
        _ => throw new ArgumentException($"hyperparameter '{name}' is a {value.GetType().Name}; TensorBoard's HParams plugin takes a string, a number or a boolean.", nameof(value)),
    };
}
