using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Model;

/// <summary>Which params an argument's value follows: the whole value (<c>dim: dim</c>) or some items of a list
/// (<c>grid: [rows, 8]</c>, null for an item written as a literal). The value itself is resolved; this says where it
/// came from, so that a change of the param is one change, in the diff and in generated code.</summary>
public sealed record ParamUse(string? Whole, EquatableArray<string?> Items)
{
    public static ParamUse Of(string param) => new(param, EquatableArray<string?>.Empty);

    /// <summary>The param the list item at <paramref name="index"/> follows, if any.</summary>
    public string? Item(int index) => index < Items.Count ? Items[index] : null;

    public IEnumerable<string> Names => Whole is not null ? new[] { Whole } : Items.Where(i => i is not null).Select(i => i!);

    /// <summary>The value as written, params by name: <c>dim</c>, <c>[rows, 8]</c>.</summary>
    public string ToAvml(Value value) => Whole ?? (value is ListValue list
        ? "[" + string.Join(", ", list.Items.Select((item, i) => Item(i) ?? item.ToAvml())) + "]"
        : value.ToAvml());
}

/// <summary>A train setting that follows a param: <c>batch: batch_size</c>.</summary>
public sealed record SettingParam(string Setting, string Param);
