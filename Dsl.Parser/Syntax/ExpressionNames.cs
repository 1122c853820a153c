using System.Collections.Generic;
using System.Linq;

namespace AvDsl.Dsl.Syntax;

/// <summary>The names an expression reads, in order, repeats included (a call's callee and a member's target among them).</summary>
public static class ExpressionNames
{
    public static IEnumerable<string> In(ExpressionSyntax syntax) => syntax switch
    {
        NameSyntax name => new[] { name.Name },
        CallSyntax call => In(call.Callee).Concat(call.Arguments.SelectMany(a => In(a.Value))),
        MemberSyntax member => In(member.Target),
        IndexSyntax index => In(index.Target).Concat(In(index.Index)),
        BinarySyntax binary => In(binary.Left).Concat(In(binary.Right)),
        NegateSyntax negate => In(negate.Operand),
        ListSyntax list => list.Items.SelectMany(In),
        _ => Enumerable.Empty<string>(),
    };
}
