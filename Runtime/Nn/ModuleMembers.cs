using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Finds a module's parameters, buffers and submodules without registration calls: every instance field and
/// auto-property (base class first, then in declaration order) holding a <see cref="Parameter"/>,
/// <see cref="ModuleBuffer"/>, <see cref="Module"/> or a list of modules. The key is the snake_case member name
/// (leading underscores dropped): <c>Blocks</c>, <c>_blocks</c> and <c>blocks</c> all give "blocks".
/// </summary>
internal static partial class ModuleMembers
{
    private static readonly ConcurrentDictionary<Type, (string Key, FieldInfo Field)[]> s_fields = new();

    [GeneratedRegex("^<(.+)>k__BackingField$")]
    private static partial Regex BackingField();

    internal static IEnumerable<(string Key, object Value)> Of(Module module)
    {
        foreach (var (key, field) in s_fields.GetOrAdd(module.GetType(), Discover))
        {
            switch (field.GetValue(module))
            {
                case null:
                    break;
                case Tensor tensor when tensor is Parameter or ModuleBuffer:
                    yield return (key, tensor);
                    break;
                case Module child:
                    yield return (key, child);
                    break;
                case IReadOnlyList<Module> list:
                    for (var i = 0; i < list.Count; i++)
                        if (list[i] is { } item)
                            yield return ($"{key}.{i}", item);
                    break;
            }
        }
    }

    private static (string, FieldInfo)[] Discover(Type type)
    {
        var levels = new List<FieldInfo[]>();
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType)
            levels.Add(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        levels.Reverse();

        var result = new List<(string, FieldInfo)>();
        var seen = new Dictionary<string, string>();
        foreach (var field in levels.SelectMany(l => l.OrderBy(f => f.MetadataToken)))
        {
            if (!MayHoldMember(field.FieldType))
                continue;
            var memberName = MemberName(field.Name);
            if (memberName is null)
                continue;
            var key = SnakeCase.From(memberName);
            if (seen.TryGetValue(key, out var other))
                throw new InvalidOperationException(
                    $"{type.Name}: members '{other}' and '{memberName}' both map to the state-dict key '{key}'; rename one.");
            seen.Add(key, memberName);
            result.Add((key, field));
        }
        return [.. result];
    }

    private static bool MayHoldMember(Type fieldType) =>
        typeof(Tensor).IsAssignableFrom(fieldType) ||
        typeof(Module).IsAssignableFrom(fieldType) ||
        typeof(IReadOnlyList<Module>).IsAssignableFrom(fieldType) ||
        fieldType == typeof(object);

    // Auto-properties keep their property name; other compiler-generated fields (captured primary-constructor
    // parameters, closures) are not members.
    private static string? MemberName(string fieldName)
    {
        var match = BackingField().Match(fieldName);
        if (match.Success)
            return match.Groups[1].Value;
        return fieldName.StartsWith('<') ? null : fieldName;
    }
}
