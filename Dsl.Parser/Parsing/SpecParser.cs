using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;
using Sprache;

namespace AvDsl.Dsl.Parsing;

/// <summary>Turns .avml text into syntax. Statements are parsed one at a time: a statement that fails is reported
/// and skipped up to the end of its line (brackets balanced), so one run reports every independent error.</summary>
public static class SpecParser
{
    /// <summary>Deeper bracket nesting than this is reported instead of parsed (the parser is recursive).</summary>
    public const int MaxNesting = 100;

    public static SpecFileSyntax Parse(string path, string text) => Parse(new SourceFile(path, text));

    public static SpecFileSyntax Parse(SourceFile file)
    {
        var state = new State(file);
        var previousBase = Grammar.SpanBase;
        Grammar.SpanBase = file.Base;
        try
        {
            if (state.CheckNesting())
            {
                state.ParseFile();
            }
        }
        finally
        {
            Grammar.SpanBase = previousBase;
        }
        return new SpecFileSyntax(file, state.Imports, state.Specs, state.Sweeps, state.Diagnostics);
    }

    private sealed class State
    {
        private readonly SourceFile _file;
        private IInput _input;

        public State(SourceFile file)
        {
            _file = file;
            _input = new Input(file.Text);
        }

        public List<ImportSyntax> Imports { get; } = new();
        public List<SpecSyntax> Specs { get; } = new();
        public List<SweepSyntax> Sweeps { get; } = new();
        public List<Diagnostic> Diagnostics { get; } = new();

        public bool CheckNesting()
        {
            var depth = 0;
            var text = _file.Text;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    i = StringEnd(text, i);
                    continue;
                }
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    while (i < text.Length && text[i] != '\n') i++;
                    continue;
                }
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') depth--;
                if (depth > MaxNesting)
                {
                    Report(new TextSpan(_file.Base + i, 1), $"brackets are nested more than {MaxNesting} deep",
                        "no spec needs this much nesting; split the expression into named flow values");
                    return false;
                }
            }
            return true;
        }

        public void ParseFile()
        {
            SkipTrivia();
            while (!_input.AtEnd)
            {
                FurthestFailure.Reset();
                var import = Grammar.Import(_input);
                if (import.WasSuccessful)
                {
                    _input = import.Remainder;
                    Imports.Add(import.Value);
                    continue;
                }
                var sweep = Grammar.SweepHeader(_input);
                if (sweep.WasSuccessful)
                {
                    _input = sweep.Remainder;
                    ParseSweep(sweep.Value);
                    continue;
                }
                var header = Grammar.SpecHeader(_input);
                if (!header.WasSuccessful)
                {
                    ReportFailure(header, "a file holds `import \"file.avml\"`, `spec Name { … }` and `sweep Name of Spec { … }` declarations");
                    return;
                }
                _input = header.Remainder;
                var (name, keywordSpan, nameSpan, extends) = header.Value;
                var members = new List<MemberDeclarationSyntax>();
                var closed = ParseStatements(() =>
                {
                    var start = _file.Base + _input.Position;
                    foreach (var kind in new[] { "flow", "train", "data", "eval" })
                    {
                        var opening = Grammar.BlockOpening(kind)(_input);
                        if (!opening.WasSuccessful) continue;
                        _input = opening.Remainder;
                        members.Add(kind switch
                        {
                            "flow" => ParseFlow(opening.Value, start),
                            "eval" => ParseEval(opening.Value, start),
                            "data" => ParseData(opening.Value, start),
                            _ => ParseSettings(kind, opening.Value, start),
                        });
                        return true;
                    }
                    var member = Grammar.SimpleMember(_input);
                    if (!member.WasSuccessful)
                    {
                        ReportFailure(member, "a spec holds metadata, `input`, components (`name = component(…)`), `flow { }`, `loss`, `train { }`, `data { }` and `eval { }`");
                        return false;
                    }
                    _input = member.Remainder;
                    members.Add(member.Value);
                    return true;
                });
                if (!closed)
                {
                    Report(nameSpan, $"spec `{name}` is not closed", "add `}` at the end of the spec");
                }
                Specs.Add(new SpecSyntax(TextSpan.FromBounds(keywordSpan.Start, LastTokenEnd()), name, nameSpan, extends?.Name, extends?.Span ?? default, members));
            }
        }

        private void ParseSweep((string Name, TextSpan KeywordSpan, TextSpan NameSpan, string Of, TextSpan OfSpan) header)
        {
            var axes = new List<SweepAxisSyntax>();
            var closed = ParseStatements(() => ParseOne(Grammar.SweepAxis, axes, "a sweep holds `grid path in [values]` and `zip p in [values], q in [values]` lines"));
            if (!closed) Report(header.NameSpan, $"sweep `{header.Name}` is not closed", "add `}` after the last axis");
            Sweeps.Add(new SweepSyntax(TextSpan.FromBounds(header.KeywordSpan.Start, LastTokenEnd()), header.Name, header.NameSpan, header.Of, header.OfSpan, axes));
        }

        private FlowSyntax ParseFlow(TextSpan keyword, int start)
        {
            var bindings = new List<BindingSyntax>();
            var closed = ParseStatements(() => ParseOne(Grammar.FlowStatement, bindings, "a flow holds `name = expression` lines"));
            if (!closed) Report(keyword, "`flow` block is not closed", "add `}` after the last flow value");
            return new FlowSyntax(TextSpan.FromBounds(start, LastTokenEnd()), bindings);
        }

        private SettingsBlockSyntax ParseSettings(string kind, TextSpan keyword, int start)
        {
            var settings = new List<SettingSyntax>();
            var closed = ParseStatements(() => ParseOne(Grammar.SettingStatement, settings, $"a `{kind}` block holds `key: value` lines"));
            if (!closed) Report(keyword, $"`{kind}` block is not closed", "add `}` after the last setting");
            return new SettingsBlockSyntax(TextSpan.FromBounds(start, LastTokenEnd()), kind, keyword, settings);
        }

        private SettingsBlockSyntax ParseEval(TextSpan keyword, int start)
        {
            var statements = new List<object>();
            var closed = ParseStatements(() => ParseOne(Grammar.EvalStatement, statements,
                "an `eval` block holds `name = expression` values, `embed name = expression` embeddings and `key: value` settings"));
            if (!closed) Report(keyword, "`eval` block is not closed", "add `}` after the last statement");
            return new SettingsBlockSyntax(TextSpan.FromBounds(start, LastTokenEnd()), "eval", keyword, statements.OfType<SettingSyntax>().ToList(),
                statements.OfType<BindingSyntax>().ToList());
        }

        private SettingsBlockSyntax ParseData(TextSpan keyword, int start)
        {
            var statements = new List<object>();
            var closed = ParseStatements(() => ParseOne(Grammar.DataStatement, statements,
                "a `data` block holds `key: value` settings and `task name = manifest(…)` tasks"));
            if (!closed) Report(keyword, "`data` block is not closed", "add `}` after the last statement");
            return new SettingsBlockSyntax(TextSpan.FromBounds(start, LastTokenEnd()), "data", keyword, statements.OfType<SettingSyntax>().ToList(),
                statements.OfType<BindingSyntax>().ToList());
        }

        private bool ParseOne<T>(Parser<T> parser, List<T> into, string help)
        {
            var result = parser(_input);
            if (!result.WasSuccessful)
            {
                ReportFailure(result, help);
                return false;
            }
            _input = result.Remainder;
            into.Add(result.Value);
            return true;
        }

        /// <summary>Parses statements until the closing brace; false when the file ends first.</summary>
        private bool ParseStatements(Func<bool> statement)
        {
            while (true)
            {
                if (_input.AtEnd) return false;
                var close = Grammar.CloseBrace(_input);
                if (close.WasSuccessful)
                {
                    _lastClose = close.Value.End;
                    _input = close.Remainder;
                    return true;
                }
                var start = _input.Position;
                FurthestFailure.Reset();
                if (!statement())
                {
                    SkipStatement(start);
                }
            }
        }

        /// <summary>Recovery: resume where the error said the statement ended (a bracket left open at the end of its
        /// line), else skip past the failed statement — to the end of a line on which its brackets are balanced — or up
        /// to a closing brace it did not open. Strings are skipped whole, so brackets in them do not count.</summary>
        private void SkipStatement(int start)
        {
            var text = _file.Text;
            var i = start;
            if (_resumeAt is { } resume && resume > start)
            {
                i = resume;
            }
            else
            {
                int brackets = 0, braces = 0;
                for (; i < text.Length; i++)
                {
                    var c = text[i];
                    if (c == '"') i = StringEnd(text, i);
                    else if (c is '(' or '[') brackets++;
                    else if (c is ')' or ']') brackets--;
                    else if (c == '{') braces++;
                    else if (c == '}')
                    {
                        if (braces <= 0) break;
                        braces--;
                    }
                    else if (c == '\n' && brackets <= 0 && braces <= 0 && i > start)
                    {
                        i++;
                        break;
                    }
                }
            }
            _resumeAt = null;
            while (_input.Position < i && !_input.AtEnd) _input = _input.Advance();
            SkipTrivia();
        }

        /// <summary>The index of the quote that closes the string opening at <paramref name="open"/> (escapes
        /// skipped), or of its last character when the line or the file ends first.</summary>
        private static int StringEnd(string text, int open)
        {
            var i = open + 1;
            for (; i < text.Length && text[i] != '"' && text[i] != '\n'; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n') i++;
            }
            return i < text.Length && text[i] == '"' ? i : Math.Min(i, text.Length) - 1;
        }

        private int? _resumeAt;

        private void SkipTrivia() => _input = Grammar.Trivia(_input).Remainder;

        private int _lastClose = -1;

        /// <summary>Where the construct just parsed ends: its closing brace, not the trivia after it (a comment on
        /// the line of the brace belongs after the construct).</summary>
        private int LastTokenEnd()
        {
            if (_lastClose >= 0)
            {
                var close = _lastClose;
                _lastClose = -1;
                return close;
            }
            var end = _input.Position;
            var text = _file.Text;
            while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
            return _file.Base + end;
        }

        private void ReportFailure<T>(IResult<T> failure, string help)
        {
            var position = failure.Remainder.Position;
            if (FurthestFailure.Explanation is { } explained && FurthestFailure.Position >= position)
            {
                Diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Syntax, _file, explained.Span, explained.Message, explained.Help ?? help));
                _resumeAt = explained.ResumeAt;
                return;
            }
            var expected = new List<string>();
            if (FurthestFailure.Position >= position)
            {
                position = FurthestFailure.Position;
                expected.AddRange(FurthestFailure.Expected);
            }
            var found = TokenDescription.At(_file.Text, position, out var length);
            var message = expected.Count > 0
                ? $"expected {Join(expected)}, found {found}"
                : $"unexpected {found}";
            Report(new TextSpan(_file.Base + position, length), message, help);
        }

        private static string Join(List<string> expected)
        {
            var shown = expected.Take(5).ToList();
            return shown.Count == 1 ? shown[0] : string.Join(", ", shown.Take(shown.Count - 1)) + " or " + shown[shown.Count - 1];
        }

        private void Report(TextSpan span, string message, string? help) =>
            Diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Syntax, _file, span, message, help));
    }
}
