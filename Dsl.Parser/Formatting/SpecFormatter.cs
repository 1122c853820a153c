using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Formatting;

/// <summary>Prints a file in the canonical layout: one statement per line, two-space indentation, `=` aligned in
/// runs of assignments, one blank line at most where the author left any, and every comment kept — before the
/// statement it preceded, or at the end of the line of the statement it was in or after.</summary>
public sealed class SpecFormatter
{
    private const string Indent = "  ";

    private readonly string _text;
    private readonly int _base;
    private readonly List<Comment> _comments;
    private int _nextComment;
    private readonly StringBuilder _out = new();

    private SpecFormatter(SpecFileSyntax file)
    {
        _text = file.File.Text;
        _base = file.File.Base;
        _comments = Comment.Scan(_text, _base);
    }

    /// <summary>The formatted text; the file must have no syntax errors (check <see cref="SpecFileSyntax.Diagnostics"/>).</summary>
    public static string Format(SpecFileSyntax file)
    {
        if (file.Diagnostics.Count > 0) throw new ArgumentException("a file with syntax errors cannot be formatted", nameof(file));
        var formatter = new SpecFormatter(file);
        formatter.FormatFile(file);
        return formatter._out.ToString();
    }

    private void FormatFile(SpecFileSyntax file)
    {
        var items = file.Imports.Select(i => (i.Span, (object)i))
            .Concat(file.Specs.Select(s => (s.Span, (object)s)))
            .Concat(file.Sweeps.Select(s => (s.Span, (object)s)))
            .OrderBy(x => x.Span.Start)
            .ToList();
        var previousEnd = _base;
        for (var index = 0; index < items.Count; index++)
        {
            var (span, item) = items[index];
            // Top-level items are separated by one blank line, imports excepted.
            var blank = index > 0 && !(item is ImportSyntax && items[index - 1].Item2 is ImportSyntax);
            LeadingComments(span.Start, 0, blank, previousEnd);
            switch (item)
            {
                case ImportSyntax import:
                    Line(0, "import " + Quote(import.Path.Value), TrailingComments(span, index + 1 < items.Count ? items[index + 1].Span.Start : int.MaxValue));
                    break;
                case SpecSyntax spec:
                    Line(0, $"spec {spec.Name}{(spec.Extends is null ? "" : " extends " + spec.Extends)} {{", TrailingComments(spec.NameSpan, First(spec.Members.Select(m => m.Span))));
                    Statements(spec.Members.Select(m => (m.Span, (object)m)).ToList(), 1, spec.NameSpan.End, span.End - 1);
                    Close(0, span);
                    break;
                case SweepSyntax sweep:
                    Line(0, $"sweep {sweep.Name} of {sweep.Of} {{", TrailingComments(sweep.OfSpan, First(sweep.Axes.Select(a => a.Span))));
                    Statements(sweep.Axes.Select(a => (a.Span, (object)a)).ToList(), 1, sweep.OfSpan.End, span.End - 1);
                    Close(0, span);
                    break;
            }
            previousEnd = span.End;
        }
        foreach (var comment in RemainingComments(int.MaxValue))
        {
            if (_out.Length > 0 && !EndsWithBlankLine()) _out.Append('\n');
            Line(0, comment.Text, null);
        }
    }

    private void Statements(List<(TextSpan Span, object Node)> statements, int depth, int openEnd, int closeAt)
    {
        var rendered = statements.Select(s => (s.Span, s.Node, Parts: Render(s.Node))).ToList();
        var run = new List<(string Head, string? Assign, string? Trailing)>();
        var previousEnd = openEnd;
        for (var i = 0; i < rendered.Count; i++)
        {
            var (span, node, parts) = rendered[i];
            var next = i + 1 < rendered.Count ? rendered[i + 1].Span.Start : closeAt;
            var blank = i > 0 && HasBlankLine(previousEnd, FirstStart(span.Start));
            if (blank || NextCommentBefore(span.Start) || node is FlowSyntax or SettingsBlockSyntax) Flush(run, depth);
            LeadingComments(span.Start, depth, blank, previousEnd);
            if (node is FlowSyntax flow)
            {
                Line(depth, "flow {", TrailingComments(new TextSpan(span.Start, 4), First(flow.Bindings.Select(b => b.Span))));
                Statements(flow.Bindings.Select(b => (b.Span, (object)b)).ToList(), depth + 1, span.Start + 4, span.End - 1);
                Close(depth, span);
            }
            else if (node is SettingsBlockSyntax block)
            {
                var inner = block.Settings.Select(s => (s.Span, (object)s)).Concat(block.Values.Select(b => (b.Span, (object)b)))
                    .OrderBy(s => s.Span.Start).ToList();
                Line(depth, block.Kind + " {", TrailingComments(block.KindSpan, First(inner.Select(s => s.Span))));
                Statements(inner, depth + 1, block.KindSpan.End, span.End - 1);
                Close(depth, span);
            }
            else
            {
                run.Add((parts.Head, parts.Assign, TrailingComments(span, next)));
            }
            previousEnd = span.End;
        }
        Flush(run, depth);
    }

    /// <summary>Writes a run of consecutive one-line statements with `=` and trailing comments aligned.</summary>
    private void Flush(List<(string Head, string? Assign, string? Trailing)> run, int depth)
    {
        if (run.Count == 0) return;
        var heads = run.Where(r => r.Assign is not null).Select(r => r.Head.Length).DefaultIfEmpty(0).Max();
        var lines = run.Select(r => (Text: r.Assign is null ? r.Head : r.Head.PadRight(heads) + " = " + r.Assign, r.Trailing)).ToList();
        var commented = lines.Where(l => l.Trailing is not null).ToList();
        var column = commented.Count > 1 ? commented.Max(l => l.Text.Length) : 0;
        foreach (var (text, trailing) in lines)
        {
            Line(depth, trailing is null ? text : text.PadRight(column), trailing);
        }
        run.Clear();
    }

    private static int First(IEnumerable<TextSpan> spans) => spans.Select(s => s.Start).DefaultIfEmpty(int.MaxValue).Min();

    private bool NextCommentBefore(int start) => _nextComment < _comments.Count && _comments[_nextComment].Span.Start < start;

    private (string Head, string? Assign) Render(object node) => node switch
    {
        MetadataSyntax m => (m.Key + " " + Quote(m.Value.Value), null),
        InputSyntax i => ($"input {i.Name}: {Expression(i.Features)}", null),
        ParamSyntax p => ("param " + p.Name, Expression(p.Value)),
        InstanceSyntax c => (c.Name, Expression(c.Constructor)),
        OverrideSyntax o => (o.Path.Text, Expression(o.Value)),
        LossSyntax l => ("loss " + l.Name, Expression(l.Value)),
        BindingSyntax b => ((b.Embedding ? "embed " : b.Task ? "task " : "") + b.Name, Expression(b.Value)),
        SettingSyntax s => ($"{s.Key}: {Expression(s.Value)}", null),
        SweepAxisSyntax a => (a.Kind + " " + string.Join(", ", a.Parameters.Select(p => $"{p.Path.Text} in {Expression(p.Values)}"))
            + (a.Condition is { } c ? $" when {c.Path.Text} == {Expression(c.Value)}" : ""), null),
        _ => (string.Empty, null),
    };

    private void Close(int depth, TextSpan span)
    {
        // Comments after the last statement but before the closing brace stay inside the block.
        foreach (var comment in RemainingComments(span.End - 1)) Line(depth + 1, comment.Text, null);
        Line(depth, "}", TrailingComments(new TextSpan(span.End - 1, 1)));
    }

    /// <summary>Writes the comments that stand before <paramref name="start"/>; true when there were any.</summary>
    private bool LeadingComments(int start, int depth, bool blankBefore, int previousEnd)
    {
        var comments = RemainingComments(start).ToList();
        if (blankBefore) _out.Append('\n');
        for (var i = 0; i < comments.Count; i++)
        {
            if (i > 0 && HasBlankLine(comments[i - 1].Span.End, comments[i].Span.Start)) _out.Append('\n');
            Line(depth, comments[i].Text, null);
        }
        if (comments.Count > 0 && HasBlankLine(comments[comments.Count - 1].Span.End, start)) _out.Append('\n');
        return comments.Count > 0;
    }

    /// <summary>The comments inside the span or after it on the same line (before the next statement), to append
    /// to the statement's line.</summary>
    private string? TrailingComments(TextSpan span, int next = int.MaxValue)
    {
        var lineEnd = _text.IndexOf('\n', Math.Min(_text.Length, Math.Max(0, span.End - _base)));
        var limit = Math.Min(next, _base + (lineEnd < 0 ? _text.Length : lineEnd));
        var comments = RemainingComments(limit).ToList();
        if (comments.Count == 0) return null;
        // Only the last may stay a line comment: anything after it on the line would be swallowed.
        return string.Join(" ", comments.Select((c, i) => c.IsLine && i < comments.Count - 1 ? "/* " + c.Text.Substring(2).Trim() + " */" : c.Text));
    }

    private IEnumerable<Comment> RemainingComments(int before)
    {
        while (_nextComment < _comments.Count && _comments[_nextComment].Span.Start < before)
        {
            yield return _comments[_nextComment++];
        }
    }

    private int FirstStart(int start)
    {
        var next = _nextComment < _comments.Count ? _comments[_nextComment].Span.Start : int.MaxValue;
        return Math.Min(start, next);
    }

    private bool OwnLine(Comment comment)
    {
        var i = comment.Span.Start - _base - 1;
        while (i >= 0 && (_text[i] == ' ' || _text[i] == '\t')) i--;
        return i < 0 || _text[i] == '\n';
    }

    private bool HasBlankLine(int from, int to)
    {
        var newlines = 0;
        for (var i = Math.Max(0, from - _base); i < Math.Min(_text.Length, to - _base); i++)
        {
            if (_text[i] == '\n') newlines++;
            else if (!char.IsWhiteSpace(_text[i])) newlines = 0;
            if (newlines >= 2) return true;
        }
        return false;
    }

    private bool EndsWithBlankLine() => _out.Length >= 2 && _out[_out.Length - 1] == '\n' && _out[_out.Length - 2] == '\n';

    private void Line(int depth, string text, string? trailing)
    {
        for (var i = 0; i < depth; i++) _out.Append(Indent);
        _out.Append(text);
        if (trailing is not null) _out.Append(text.Length > 0 ? "  " : string.Empty).Append(trailing);
        _out.Append('\n');
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>An expression in canonical spacing, with the parentheses its tree needs and no others.</summary>
    public static string Expression(ExpressionSyntax expression) => expression switch
    {
        NumberSyntax n => n.Text,
        StringSyntax s => Quote(s.Value),
        NameSyntax name => name.Name,
        ListSyntax list => "[" + string.Join(", ", list.Items.Select(Expression)) + "]",
        CallSyntax call => Operand(call.Callee, 3) + "(" + string.Join(", ", call.Arguments.Select(a => a.Name is null ? Expression(a.Value) : $"{a.Name}: {Expression(a.Value)}")) + ")",
        MemberSyntax member => Operand(member.Target, 3) + "." + member.Name,
        IndexSyntax index => Operand(index.Target, 3) + "[" + Expression(index.Index) + "]",
        NegateSyntax negate => "-" + Operand(negate.Operand, 2),
        BinarySyntax binary => Operand(binary.Left, Precedence(binary)) + " " + binary.Operator + " " + Operand(binary.Right, Precedence(binary) + 1),
        _ => throw new ArgumentException($"unknown expression {expression.GetType().Name}"),
    };

    private static int Precedence(ExpressionSyntax expression) => expression switch
    {
        BinarySyntax { Operator: '+' or '-' } => 0,
        BinarySyntax => 1,
        NegateSyntax => 2,
        NumberSyntax n when n.Value < 0 || n.Text.StartsWith("-", StringComparison.Ordinal) => 2,
        _ => 3,
    };

    /// <summary>Parenthesised when its precedence is below what the position needs.</summary>
    private static string Operand(ExpressionSyntax expression, int needed) =>
        Precedence(expression) < needed ? "(" + Expression(expression) + ")" : Expression(expression);
}
