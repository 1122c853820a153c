using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;
using Sprache;

namespace AvDsl.Dsl.Parsing;

/// <summary>The .avml grammar as Sprache combinators. Every token consumes the trivia (white space and comments)
/// that follows it, so a token's span is its own text and a node's span covers its first to its last token.</summary>
internal static class Grammar
{
    private static readonly CommentParser Comments = new("//", "/*", "*/", "\n");

    public static readonly Parser<string> Trivia =
        Parse.WhiteSpace.Return(string.Empty).Or(Comments.MultiLineComment).Or(Comments.SingleLineComment).Many().Return(string.Empty);

    /// <summary>Keywords that begin a spec member; they cannot name a component instance.</summary>
    public static readonly HashSet<string> MemberKeywords = new(StringComparer.Ordinal)
    {
        "title", "cite", "source", "version", "input", "flow", "loss", "train", "data", "eval", "import", "spec", "sweep", "param",
    };

    /// <summary>The global offset of the file being parsed (see <see cref="SourceSet"/>).</summary>
    [ThreadStatic] internal static int SpanBase;

    private static Parser<R> Spanned<T, R>(this Parser<T> parser, Func<T, TextSpan, R> result) =>
        input =>
        {
            var r = parser(input);
            return r.WasSuccessful
                ? Result.Success(result(r.Value, TextSpan.FromBounds(SpanBase + input.Position, SpanBase + r.Remainder.Position)), r.Remainder)
                : Result.Failure<R>(r.Remainder, r.Message, r.Expectations);
        };

    /// <summary>A token: the parser's text, its span, then the trivia after it.</summary>
    private static Parser<(T Value, TextSpan Span)> Token<T>(this Parser<T> parser) =>
        from value in parser.Spanned((v, s) => (v, s))
        from _ in Trivia
        select value;

    /// <summary>Names a token parser and records where it failed, for error messages at the furthest point.</summary>
    private static Parser<T> Expect<T>(this Parser<T> parser, string expectation) =>
        input =>
        {
            var result = parser(input);
            if (!result.WasSuccessful) FurthestFailure.Record(input.Position, expectation);
            return result;
        };

    private static Parser<TextSpan> Symbol(string text) =>
        Parse.String(text).Token().Select(t => t.Span).Expect($"`{text}`");

    private static readonly Parser<string> IdentifierText =
        from first in Parse.Letter.Or(Parse.Char('_'))
        from rest in Parse.LetterOrDigit.Or(Parse.Char('_')).Many().Text()
        select first + rest;

    public static readonly Parser<(string Name, TextSpan Span)> Identifier = IdentifierText.Token().Expect("a name");

    public static Parser<TextSpan> Keyword(string word) =>
        IdentifierText.Where(id => id == word).Token().Select(t => t.Span).Expect($"`{word}`");

    private static readonly Parser<string> NumberText =
        from digits in Parse.Digit.AtLeastOnce().Text()
        from fraction in Parse.Char('.').Then(_ => Parse.Digit.AtLeastOnce().Text()).Select(f => "." + f).Optional()
        from exponent in (
            from e in Parse.Chars('e', 'E')
            from sign in Parse.Chars('+', '-').Optional()
            from value in Parse.Digit.AtLeastOnce().Text()
            select "e" + (sign.IsDefined ? sign.Get().ToString() : string.Empty) + value).Optional()
        select digits + fraction.GetOrElse(string.Empty) + exponent.GetOrElse(string.Empty);

    private static readonly Parser<ExpressionSyntax> Number =
        NumberText.Token().Expect("a number")
            .Select(t => (ExpressionSyntax)new NumberSyntax(t.Span, double.Parse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture), t.Value));

    /// <summary>The escapes a string knows: <c>\"</c> for a quote and <c>\\</c> for a backslash.</summary>
    public const string EscapesHelp = "a string knows two escapes: `\\\"` for a quote and `\\\\` for a backslash";

    /// <summary>A string literal. It ends on its line; any escape other than <c>\"</c> and <c>\\</c> is an error at the
    /// escape, so that no text reaches generated code except as the characters it denotes.</summary>
    private static readonly Parser<string> StringText =
        input =>
        {
            if (input.AtEnd || input.Current != '"') return Result.Failure<string>(input, "expected a string", new[] { "a string" });
            var open = input;
            var text = new System.Text.StringBuilder();
            var rest = input.Advance();
            while (true)
            {
                if (rest.AtEnd || rest.Current is '\n' or '\r')
                {
                    FurthestFailure.Explain(rest.Position, new FailureExplanation(new TextSpan(SpanBase + open.Position, rest.Position - open.Position),
                        "the string is not closed on its line", "add `\"` where it ends; a string cannot span lines"));
                    return Result.Failure<string>(rest, "the string is not closed", new[] { "`\"`" });
                }
                var c = rest.Current;
                if (c == '"') return Result.Success(text.ToString(), rest.Advance());
                if (c == '\\')
                {
                    var escape = rest.Advance();
                    if (!escape.AtEnd && escape.Current is '"' or '\\')
                    {
                        text.Append(escape.Current);
                        rest = escape.Advance();
                        continue;
                    }
                    var written = escape.AtEnd || escape.Current is '\n' or '\r' ? "\\" : "\\" + escape.Current;
                    FurthestFailure.Explain(rest.Position, new FailureExplanation(new TextSpan(SpanBase + rest.Position, written.Length),
                        $"`{written}` is not an escape", EscapesHelp));
                    return Result.Failure<string>(rest, "unknown escape", new[] { "`\\\"` or `\\\\`" });
                }
                if (IsLineBreakOrControl(c))
                {
                    FurthestFailure.Explain(rest.Position, new FailureExplanation(new TextSpan(SpanBase + rest.Position, 1),
                        $"a string cannot hold the character U+{(int)c:X4}", "strings hold text on one line, without control characters"));
                    return Result.Failure<string>(rest, "a control character", new[] { "`\"`" });
                }
                text.Append(c);
                rest = rest.Advance();
            }
        };

    /// <summary>Control characters other than tab, and the characters C# also takes as line breaks (U+0085, U+2028,
    /// U+2029): none may reach a generated comment or literal unescaped.</summary>
    private static bool IsLineBreakOrControl(char c) =>
        (char.IsControl(c) && c != '\t') || c is '\u0085' or '\u2028' or '\u2029';

    public static readonly Parser<StringSyntax> String =
        StringText.Token().Expect("a string").Select(t => new StringSyntax(t.Span, t.Value));

    private static readonly Parser<ExpressionSyntax> Name =
        Identifier.Select(t => (ExpressionSyntax)new NameSyntax(t.Span, t.Name));

    private static readonly Parser<ArgumentSyntax> NamedArgument =
        from name in Identifier
        from colon in Symbol(":")
        from value in Parse.Ref(() => Expression)
        select new ArgumentSyntax(name.Span.Cover(value.Span), name.Name, name.Span, value);

    private static readonly Parser<ArgumentSyntax> Argument =
        NamedArgument.Or(Parse.Ref(() => Expression).Select(v => new ArgumentSyntax(v.Span, null, default, v)));

    private static readonly Parser<IEnumerable<ArgumentSyntax>> ArgumentList =
        Argument.DelimitedBy(Symbol(",")).Optional().Select(o => o.GetOrElse(Enumerable.Empty<ArgumentSyntax>()));

    /// <summary>The bracket that closes what <paramref name="opening"/> opened. Where it is missing the failure says so:
    /// when the line (or the file) ended before it, at the end of the last thing inside, and parsing resumes on the next
    /// line; otherwise at the token found instead.</summary>
    /// <param name="contentEnd">The global offset where the inside of the brackets ends.</param>
    /// <param name="separated">Whether the inside is a `,`-separated list (arguments or items).</param>
    private static Parser<TextSpan> Closing(string closer, string opening, int contentEnd, bool separated) =>
        input =>
        {
            var result = Symbol(closer)(input);
            if (result.WasSuccessful) return result;
            var text = input.Source;
            var from = System.Math.Min(System.Math.Max(0, contentEnd - SpanBase), input.Position);
            var lineEnded = input.AtEnd || text.IndexOf('\n', from, input.Position - from) >= 0;
            var what = separated ? (closer == ")" ? "argument" : "item") : null;
            if (lineEnded)
            {
                FurthestFailure.Explain(input.Position, new FailureExplanation(new TextSpan(contentEnd, 0), $"expected `{closer}` to close `{opening}`",
                    what is null ? $"add `{closer}` here" : $"add `{closer}` after the last {what}, or `,` if more {what}s follow", ResumeAt: input.Position));
            }
            else
            {
                var found = TokenDescription.At(text, input.Position, out var length);
                FurthestFailure.Explain(input.Position, new FailureExplanation(new TextSpan(SpanBase + input.Position, length),
                    what is null ? $"expected `{closer}` to close `{opening}`, found {found}" : $"expected `,` or `{closer}` in `{opening}…{closer}`, found {found}",
                    what is null ? null : $"separate {what}s with `,`; `{closer}` closes `{opening}`"));
            }
            return result;
        };

    private static readonly Parser<ExpressionSyntax> List =
        from open in Symbol("[")
        from items in Parse.Ref(() => Expression).DelimitedBy(Symbol(",")).Optional()
        let list = items.GetOrElse(Enumerable.Empty<ExpressionSyntax>()).ToList()
        from close in Closing("]", "[", list.Count > 0 ? list[list.Count - 1].Span.End : open.End, separated: true)
        select (ExpressionSyntax)new ListSyntax(open.Cover(close), list);

    private static readonly Parser<ExpressionSyntax> Parenthesised =
        from open in Symbol("(")
        from inner in Parse.Ref(() => Expression)
        from close in Closing(")", "(", inner.Span.End, separated: false)
        select inner;

    private static readonly Parser<ExpressionSyntax> Primary = Number.Or(String.Select(s => (ExpressionSyntax)s)).Or(Name).Or(List).Or(Parenthesised);

    /// <summary>How a call or an index names what it opens in an error: <c>transformer(</c>, <c>teacher.encoder(</c>.</summary>
    private static string Opening(ExpressionSyntax target, string bracket) => target switch
    {
        NameSyntax name => name.Name + bracket,
        MemberSyntax { Target: NameSyntax or MemberSyntax } member when Opening(member.Target, "") is { Length: > 0 } head => head + "." + member.Name + bracket,
        _ => bracket,
    };

    private static Parser<ExpressionSyntax> CallPart(ExpressionSyntax target) =>
        from open in Symbol("(")
        from args in ArgumentList
        let list = args.ToList()
        from close in Closing(")", Opening(target, "("), list.Count > 0 ? list[list.Count - 1].Span.End : open.End, separated: true)
        select (ExpressionSyntax)new CallSyntax(target.Span.Cover(close), target, list);

    private static Parser<ExpressionSyntax> MemberPart(ExpressionSyntax target) =>
        from dot in Symbol(".")
        from name in Identifier
        select (ExpressionSyntax)new MemberSyntax(target.Span.Cover(name.Span), target, name.Name, name.Span);

    private static Parser<ExpressionSyntax> IndexPart(ExpressionSyntax target) =>
        from open in Symbol("[")
        from index in Parse.Ref(() => Expression)
        from close in Closing("]", Opening(target, "["), index.Span.End, separated: false)
        select (ExpressionSyntax)new IndexSyntax(target.Span.Cover(close), target, index);

    /// <summary>A primary and its calls, members and indexes. A suffix that begins and then breaks (<c>f(a,</c>) fails
    /// the whole expression, rather than leaving <c>f</c> parsed and the rest to be misread as the next statement.</summary>
    private static readonly Parser<ExpressionSyntax> Postfix =
        input =>
        {
            var result = Primary(input);
            while (result.WasSuccessful)
            {
                var target = result.Value;
                var next = CallPart(target).Or(MemberPart(target)).Or(IndexPart(target))(result.Remainder);
                if (!next.WasSuccessful) return next.Remainder.Position == result.Remainder.Position ? result : next;
                result = next;
            }
            return result;
        };

    private static readonly Parser<ExpressionSyntax> Unary =
        (from minus in Symbol("-")
         from operand in Parse.Ref(() => Unary)
         select operand is NumberSyntax n
             ? new NumberSyntax(minus.Cover(n.Span), -n.Value, "-" + n.Text)
             : (ExpressionSyntax)new NegateSyntax(minus.Cover(operand.Span), operand))
        .Or(Postfix);

    private static Parser<char> Operator(char op) => Parse.Char(op).Token().Select(t => t.Value).Expect($"`{op}`");

    private static readonly Parser<ExpressionSyntax> Term =
        Parse.ChainOperator(Operator('*').Or(Operator('/')), Unary,
            (op, left, right) => new BinarySyntax(left.Span.Cover(right.Span), op, left, right));

    public static readonly Parser<ExpressionSyntax> Expression =
        Parse.ChainOperator(Operator('+').Or(Operator('-')), Term,
            (op, left, right) => new BinarySyntax(left.Span.Cover(right.Span), op, left, right));

    public static readonly Parser<CallSyntax> Call =
        input =>
        {
            var result = Expression(input);
            if (result.WasSuccessful && result.Value is CallSyntax { Callee: NameSyntax } call) return Result.Success(call, result.Remainder);
            FurthestFailure.Record(input.Position, "a call such as `name(arg: value)`");
            return Result.Failure<CallSyntax>(input, "expected a call", new[] { "a call such as `name(arg: value)`" });
        };

    private static readonly Parser<MemberDeclarationSyntax> Metadata =
        from key in Keyword("title").Select(s => ("title", s))
            .Or(Keyword("cite").Select(s => ("cite", s)))
            .Or(Keyword("source").Select(s => ("source", s)))
            .Or(Keyword("version").Select(s => ("version", s)))
        from value in String
        select (MemberDeclarationSyntax)new MetadataSyntax(key.Item2.Cover(value.Span), key.Item1, key.Item2, value);

    private static readonly Parser<MemberDeclarationSyntax> Input =
        from keyword in Keyword("input")
        from name in Identifier
        from colon in Symbol(":")
        from features in Call
        select (MemberDeclarationSyntax)new InputSyntax(keyword.Cover(features.Span), name.Name, name.Span, features);

    private static readonly Parser<BindingSyntax> Binding =
        from name in Identifier.Where(n => !MemberKeywords.Contains(n.Name))
        from eq in Symbol("=")
        from value in Expression
        select new BindingSyntax(name.Span.Cover(value.Span), name.Name, name.Span, value);

    private static readonly Parser<BindingSyntax> Embedding =
        from keyword in Keyword("embed")
        from name in Identifier.Where(n => !MemberKeywords.Contains(n.Name)).Expect("a name for the embedding")
        from eq in Symbol("=")
        from value in Expression
        select new BindingSyntax(keyword.Cover(value.Span), name.Name, name.Span, value, Embedding: true);

    private static readonly Parser<BindingSyntax> Task =
        from keyword in Keyword("task")
        from name in Identifier.Where(n => !MemberKeywords.Contains(n.Name)).Expect("a name for the task")
        from eq in Symbol("=")
        from value in Expression
        select new BindingSyntax(keyword.Cover(value.Span), name.Name, name.Span, value, Task: true);

    private static readonly Parser<MemberDeclarationSyntax> Instance =
        from name in Identifier.Where(n => !MemberKeywords.Contains(n.Name))
        from eq in Symbol("=")
        from constructor in Call
        select (MemberDeclarationSyntax)new InstanceSyntax(name.Span.Cover(constructor.Span), name.Name, name.Span, constructor);

    private static readonly Parser<MemberDeclarationSyntax> Loss =
        from keyword in Keyword("loss")
        from name in Identifier
        from eq in Symbol("=")
        from value in Expression
        select (MemberDeclarationSyntax)new LossSyntax(keyword.Cover(value.Span), name.Name, name.Span, value);

    private static readonly Parser<MemberDeclarationSyntax> Param =
        from keyword in Keyword("param")
        from name in Identifier.Where(n => !MemberKeywords.Contains(n.Name)).Expect("a name for the param")
        from eq in Symbol("=")
        from value in Expression
        select (MemberDeclarationSyntax)new ParamSyntax(keyword.Cover(value.Span), name.Name, name.Span, value);

    private static readonly Parser<SettingSyntax> Setting =
        from key in Identifier
        from colon in Symbol(":")
        from value in Expression
        from separator in Symbol(";").Optional()
        select new SettingSyntax(key.Span.Cover(value.Span), key.Name, key.Span, value);

    /// <summary>The opening of a braced block; its statements are parsed one by one by <see cref="SpecParser"/> so
    /// that an error in one statement does not hide the others.</summary>
    public static Parser<TextSpan> BlockOpening(string keyword) =>
        from word in Keyword(keyword)
        from open in Symbol("{")
        select word;

    public static readonly Parser<TextSpan> OpenBrace = Symbol("{");
    public static readonly Parser<TextSpan> CloseBrace = Symbol("}");

    public static readonly Parser<(string Name, TextSpan KeywordSpan, TextSpan NameSpan, (string Name, TextSpan Span)? Extends)> SpecHeader =
        from keyword in Keyword("spec")
        from name in Identifier
        from extends in (from word in Keyword("extends") from parent in Identifier select parent).Optional()
        from open in Symbol("{")
        select (name.Name, keyword, name.Span, extends.IsDefined ? extends.Get() : ((string, TextSpan)?)null);

    public static readonly Parser<ImportSyntax> Import =
        from keyword in Keyword("import")
        from path in String
        select new ImportSyntax(keyword.Cover(path.Span), path);

    public static readonly Parser<PathSyntax> Path =
        from first in Identifier
        from rest in (from dot in Symbol(".") from name in Identifier select name).Many()
        let segments = new[] { first }.Concat(rest).Select(s => new PathSegment(s.Name, s.Span)).ToList()
        select new PathSyntax(segments[0].Span.Cover(segments[segments.Count - 1].Span), segments);

    private static readonly Parser<MemberDeclarationSyntax> Override =
        from path in Path
        from eq in Symbol("=")
        from value in Expression
        select (MemberDeclarationSyntax)new OverrideSyntax(path.Span.Cover(value.Span), path, value);

    public static readonly Parser<(string Name, TextSpan KeywordSpan, TextSpan NameSpan, string Of, TextSpan OfSpan)> SweepHeader =
        from keyword in Keyword("sweep")
        from name in Identifier
        from of in Keyword("of")
        from spec in Identifier
        from open in Symbol("{")
        select (name.Name, keyword, name.Span, spec.Name, spec.Span);

    private static readonly Parser<SweepParameterSyntax> SweepParameter =
        from path in Path
        from word in Keyword("in")
        from values in List
        select new SweepParameterSyntax(path.Span.Cover(values.Span), path, (ListSyntax)values);

    private static readonly Parser<SweepConditionSyntax> SweepCondition =
        from keyword in Keyword("when")
        from path in Path
        from eq in Symbol("==")
        from value in Expression
        select new SweepConditionSyntax(keyword.Cover(value.Span), path, value);

    private static readonly Parser<SweepAxisSyntax> UnconditionalAxis =
        (from keyword in Keyword("grid")
         from parameter in SweepParameter
         select new SweepAxisSyntax(keyword.Cover(parameter.Span), "grid", new[] { parameter }))
        .Or(from keyword in Keyword("zip")
            from parameters in SweepParameter.DelimitedBy(Symbol(","))
            let list = parameters.ToList()
            select new SweepAxisSyntax(keyword.Cover(list[list.Count - 1].Span), "zip", list));

    public static readonly Parser<SweepAxisSyntax> SweepAxis =
        from axis in UnconditionalAxis
        from condition in SweepCondition.Optional()
        select condition.IsDefined ? axis with { Span = axis.Span.Cover(condition.Get().Span), Condition = condition.Get() } : axis;

    /// <summary>An instance (<c>name = component(…)</c>) is tried before an override, whose one-name form
    /// (<c>dim = 192</c>, changing a param) would read it too.</summary>
    public static readonly Parser<MemberDeclarationSyntax> SimpleMember = Metadata.Or(Input).Or(Loss).Or(Param).Or(Instance).Or(Override);
    public static readonly Parser<BindingSyntax> FlowStatement = Binding;
    public static readonly Parser<SettingSyntax> SettingStatement = Setting;

    /// <summary>A statement of <c>eval { }</c>: a setting (<c>embed: …</c>, <c>retrieval: […]</c>), a named embedding or an
    /// intermediate value. The setting is tried first: <c>embed: x</c> and <c>embed x = …</c> share their first word.</summary>
    public static readonly Parser<object> EvalStatement =
        Setting.Select(s => (object)s).Or(Embedding.Select(b => (object)b)).Or(Binding.Select(b => (object)b));

    /// <summary>A statement of <c>data { }</c>: a setting (<c>train: …</c>) or a task (<c>task speech = manifest(…)</c>).</summary>
    public static readonly Parser<object> DataStatement = Setting.Select(s => (object)s).Or(Task.Select(b => (object)b));
}
