using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;

namespace AvDsl.Dsl.Binding;

/// <summary>A replay buffer as declared, before its stored names are checked against the flow.</summary>
internal sealed record ReplayDeclaration(string Name, long Size, IReadOnlyList<NameSyntax> Stores, SourceLocation Location)
{
    public bool StoresName(string name) => Stores.Any(s => s.Name == name);
}
