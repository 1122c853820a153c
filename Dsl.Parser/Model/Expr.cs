using System;
using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Model;

/// <summary>A bound flow expression. <see cref="Type"/> is the C# type of its value (Tensor, a result type, or
/// <see cref="NumberType"/> for plain numbers).</summary>
public abstract record Expr(string Type)
{
    public const string NumberType = "double";

    /// <summary>This expression and every expression inside it, outermost first.</summary>
    public IEnumerable<Expr> DescendantsAndSelf()
    {
        yield return this;
        IEnumerable<Expr> children = this switch
        {
            Invoke i => i.Inputs,
            MemberAccess m => new[] { m.Target },
            MaskSelect m => new[] { m.Target, m.Mask },
            Binary b => new[] { b.Left, b.Right },
            Negate n => new[] { n.Operand },
            Sqrt s => new[] { s.Operand },
            ReplayDraw d => new[] { d.Like },
            ReplayRead r => new[] { r.Target },
            _ => Array.Empty<Expr>(),
        };
        foreach (var child in children)
            foreach (var e in child.DescendantsAndSelf())
                yield return e;
    }
}

/// <summary>A spec input (<c>audio</c>).</summary>
public sealed record InputRef(string Name, string Type) : Expr(Type);

/// <summary>A value bound earlier in the flow.</summary>
public sealed record ValueRef(string Name, string Type) : Expr(Type);

/// <summary>A component instance applied to its inputs: <c>encoder(x)</c>; <see cref="Method"/> names a further call
/// (<c>encoder.layers(x)</c>) and <see cref="Teacher"/> an EMA teacher whose copy of the instance runs
/// (<c>teacher.encoder(x)</c>).</summary>
public sealed record Invoke(string Instance, EquatableArray<Expr> Inputs, string Type, string? Method = null, string? Teacher = null) : Expr(Type);

/// <summary>A named output of a result: <c>view.visible</c>.</summary>
public sealed record MemberAccess(Expr Target, string Name, string ClrName, string Type) : Expr(Type);

/// <summary>Rows of a tensor where a boolean mask is true: <c>pred[view.masked]</c>.</summary>
public sealed record MaskSelect(Expr Target, Expr Mask, string Type) : Expr(Type);

public sealed record Binary(char Operator, Expr Left, Expr Right, string Type) : Expr(Type);

public sealed record Negate(Expr Operand, string Type) : Expr(Type);

public sealed record Constant(double Value) : Expr(NumberType);

/// <summary><c>sqrt(x)</c> of a number, kept symbolic so that a scale such as <c>1 / sqrt(encoder.dim)</c> follows the setting.</summary>
public sealed record Sqrt(Expr Operand) : Expr(NumberType);

/// <summary>A whole-number or number argument of a component read in the flow: <c>encoder.dim</c>.</summary>
public sealed record SettingRef(string Instance, string Argument, double Value) : Expr(NumberType);

/// <summary>A number param read in the flow: <c>x / sqrt(dim)</c>; generated code reads it from the config.</summary>
public sealed record ParamRef(string Name, double Value) : Expr(NumberType);

/// <summary><c>memory.sample(audio)</c>: as many samples of replay buffer <see cref="Buffer"/> as <see cref="Like"/> has rows,
/// drawn uniformly without replacement (fewer while it holds fewer).</summary>
public sealed record ReplayDraw(string Buffer, Expr Like) : Expr(SampleType)
{
    public const string SampleType = "AvDsl.Runtime.Training.ReplaySample";
}

/// <summary><c>past.audio</c>: one stored field of drawn replay samples, [R, …] (R ≤ the batch).</summary>
public sealed record ReplayRead(Expr Target, string Buffer, string Field) : Expr(Catalog.ComponentCatalog.TensorType);
