using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Syntax;

/// <summary>A statement inside a spec body.</summary>
public abstract record MemberDeclarationSyntax(TextSpan Span);

/// <summary><c>title "…"</c>, <c>cite "…"</c>, <c>source "…"</c>, <c>version "…"</c>.</summary>
public sealed record MetadataSyntax(TextSpan Span, string Key, TextSpan KeySpan, StringSyntax Value) : MemberDeclarationSyntax(Span);

/// <summary><c>input audio: fbank(mel: 128, frames: 256)</c>.</summary>
public sealed record InputSyntax(TextSpan Span, string Name, TextSpan NameSpan, CallSyntax Features) : MemberDeclarationSyntax(Span);

/// <summary><c>param dim = 768</c>: a spec-level value that arguments, flow arithmetic and train settings name.</summary>
public sealed record ParamSyntax(TextSpan Span, string Name, TextSpan NameSpan, ExpressionSyntax Value) : MemberDeclarationSyntax(Span);

/// <summary><c>encoder = transformer(depth: 2, dim: 64, heads: 4)</c>.</summary>
public sealed record InstanceSyntax(TextSpan Span, string Name, TextSpan NameSpan, CallSyntax Constructor) : MemberDeclarationSyntax(Span);

/// <summary><c>name = expression</c> inside <c>flow { }</c> or <c>eval { }</c>; in <c>eval</c>, <c>embed name = expression</c>
/// (<paramref name="Embedding"/>) declares a clip embedding that probes and retrieval can name.</summary>
/// <summary><c>name = expression</c>; <see cref="Embedding"/> for eval's <c>embed name = …</c>, <see cref="Task"/> for data's
/// <c>task name = manifest(…)</c>.</summary>
public sealed record BindingSyntax(TextSpan Span, string Name, TextSpan NameSpan, ExpressionSyntax Value, bool Embedding = false, bool Task = false);

public sealed record FlowSyntax(TextSpan Span, IReadOnlyList<BindingSyntax> Bindings) : MemberDeclarationSyntax(Span);

/// <summary><c>loss name = expression</c>; the objective is the sum of all loss terms.</summary>
public sealed record LossSyntax(TextSpan Span, string Name, TextSpan NameSpan, ExpressionSyntax Value) : MemberDeclarationSyntax(Span);

/// <summary><c>key: value</c> inside a settings block.</summary>
public sealed record SettingSyntax(TextSpan Span, string Key, TextSpan KeySpan, ExpressionSyntax Value);

/// <summary><c>train { … }</c>, <c>data { … }</c> or <c>eval { … }</c>; only <c>eval</c> holds <paramref name="Bindings"/>, its
/// intermediate values and named embeddings.</summary>
public sealed record SettingsBlockSyntax(TextSpan Span, string Kind, TextSpan KindSpan, IReadOnlyList<SettingSyntax> Settings,
    IReadOnlyList<BindingSyntax>? Bindings = null) : MemberDeclarationSyntax(Span)
{
    public IReadOnlyList<BindingSyntax> Values => Bindings ?? System.Array.Empty<BindingSyntax>();
}
