using System.Collections;

namespace AvDsl.Runtime.Nn;

/// <summary>An indexed list of submodules (PyTorch's <c>nn.ModuleList</c>); keys are "0", "1", ...</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> _items;

    public ModuleList(IEnumerable<T> items) => _items = [.. items];

    public T this[int index] => _items[index];

    public int Count => _items.Count;

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal override IEnumerable<(string Key, object Value)> DirectMembers()
    {
        for (var i = 0; i < _items.Count; i++)
            yield return (i.ToString(System.Globalization.CultureInfo.InvariantCulture), _items[i]);
    }
}
