using System.Collections.Generic;
using System.Linq;

namespace AvDsl.Dsl.Diagnostics;

/// <summary>Every diagnostic the language reports. Codes are stable: never renumber, only add.</summary>
public static class DiagnosticCodes
{
    public static readonly DiagnosticDescriptor Syntax = new("AV0001", Severity.Error, "syntax error",
        "The text does not follow the .avml grammar at this point. The caret marks the first character the parser "
        + "could not accept; the message says what it expected instead. Parsing resumes at the next statement, so "
        + "later errors are still reported.");

    public static readonly DiagnosticDescriptor UnknownComponent = new("AV0002", Severity.Error, "unknown component",
        "A component instance names a component that no [Component] class provides. The vocabulary is the set of "
        + "classes marked [Component(\"name\")] in AvDsl.Runtime and in your own project; `help:` lists the nearest name.");

    public static readonly DiagnosticDescriptor UnknownArgument = new("AV0003", Severity.Error, "unknown argument",
        "An argument name is not a constructor parameter of the component (or not a setting of the function). "
        + "Misspelled keys are never silently ignored: fix the name or remove the argument.");

    public static readonly DiagnosticDescriptor MissingArgument = new("AV0004", Severity.Error, "missing argument",
        "A component parameter without a default value was not given. Add it as `name: value`.");

    public static readonly DiagnosticDescriptor ArgumentType = new("AV0005", Severity.Error, "argument of the wrong type",
        "The value given for an argument cannot be converted to the parameter's type (for example a string where "
        + "an integer is expected, a fraction where a whole number is expected, or an unknown enum member).");

    public static readonly DiagnosticDescriptor Duplicate = new("AV0006", Severity.Error, "declared twice",
        "A name (component, flow value, loss term, input, argument or setting) is declared more than once in the "
        + "same scope. Each name may be declared once; rename one of them.");

    public static readonly DiagnosticDescriptor UnknownName = new("AV0007", Severity.Error, "unknown name",
        "An expression refers to a name that is not an input, a component instance, or a value bound earlier in "
        + "the flow. Values must be bound before they are used.");

    public static readonly DiagnosticDescriptor InputCount = new("AV0008", Severity.Error, "wrong number of inputs",
        "A component is called with a different number of inputs than its Forward method takes.");

    public static readonly DiagnosticDescriptor UnknownMember = new("AV0009", Severity.Error, "unknown member",
        "`.name` selects a named output of a component (a public property of its Forward result). The value has no "
        + "output of that name.");

    public static readonly DiagnosticDescriptor ExpressionType = new("AV0010", Severity.Error, "value of the wrong kind",
        "An expression combines values that do not fit together: arithmetic on something that is not a tensor or a "
        + "number, an input of the wrong type passed to a component, or an index that is not a mask.");

    public static readonly DiagnosticDescriptor UnknownSetting = new("AV0011", Severity.Error, "unknown setting",
        "A key in a `train`, `data` or `input` block is not one the language knows. Misspelled keys are never "
        + "silently ignored.");

    public static readonly DiagnosticDescriptor MissingSetting = new("AV0012", Severity.Error, "missing setting",
        "A required setting is absent (for example `steps` or `batch` in `train`, or a `data` source).");

    public static readonly DiagnosticDescriptor UnknownFunction = new("AV0013", Severity.Error, "unknown function",
        "A schedule, optimizer, feature kind or data source is not one the language provides.");

    public static readonly DiagnosticDescriptor NoLoss = new("AV0014", Severity.Error, "no loss",
        "A trainable spec needs at least one `loss name = expression` term; the objective is their sum.");

    public static readonly DiagnosticDescriptor ExtendsCycle = new("AV0015", Severity.Error, "extends cycle",
        "Specs extend each other in a circle, so none of them has a complete definition. Make one of them stand alone.");

    public static readonly DiagnosticDescriptor UnknownSpec = new("AV0016", Severity.Error, "unknown spec",
        "`extends`, a sweep or a pretrained teacher's `spec:` names a spec that is neither in this file nor in a file it "
        + "imports. A teacher whose spec this file cannot see names it as a string, `spec: \"Mavil\"`: that is checked "
        + "against the run's checkpoint when the weights load.");

    public static readonly DiagnosticDescriptor UnknownOverride = new("AV0017", Severity.Error, "nothing to override",
        "An override (`name.argument = value`) or a sweep axis names something the spec does not have. Overrides name "
        + "a component instance, an input, a flow value computed by a component call, `train` or `data`, then one "
        + "argument or setting of it (`train.lr.peak` for an argument of a setting).");

    public static readonly DiagnosticDescriptor SweepShape = new("AV0018", Severity.Error, "malformed sweep",
        "A sweep axis has no values, a `zip` axis pairs lists of different lengths, or two points of the sweep are the same.");

    public static readonly DiagnosticDescriptor Import = new("AV0019", Severity.Error, "import failed",
        "An imported file cannot be read or has errors of its own. Paths are relative to the importing file; run "
        + "`avdsl check` on the imported file to see its errors.");

    public static readonly DiagnosticDescriptor ShapeMismatch = new("AV0020", Severity.Error, "shape mismatch",
        "A tensor reaches a component in a shape its [Shape] rule does not accept (a fixed size differs, or the number "
        + "of dimensions does not fit), or two tensors combined with + - * / do not broadcast. Shapes are followed "
        + "from the inputs through every component that declares a rule; `B` and other letters stand for sizes the "
        + "spec does not fix.");

    public static readonly DiagnosticDescriptor ShapeRule = new("AV0021", Severity.Error, "malformed rule",
        "A component's [Shape(\"...\")] or [Constraint(\"...\")] attribute cannot be read. This is a problem of the component's C# class, "
        + "not of the spec: fix the rule (see ShapeAttribute's documentation) or remove it.");

    public static readonly DiagnosticDescriptor DataInputs = new("AV0022", Severity.Error, "data does not fit the inputs",
        "A data source fills the spec's inputs by name: `manifest` decodes every declared input (fbank and frames) "
        + "from each media file, and `synthetic_spectrograms` makes exactly one fbank input.");

    public static readonly DiagnosticDescriptor Constraint = new("AV0023", Severity.Error, "value out of range",
        "An argument breaks a rule its component (or schedule, optimizer, feature kind, data source) declares with "
        + "[Constraint]: a range, a divisibility, a length, or a relation with another argument or with the shapes that "
        + "reach the component. A schedule is checked at every value it reaches. `avdsl describe <name>` lists the rules.");

    public static readonly DiagnosticDescriptor ParamValue = new("AV0030", Severity.Error, "param value is not a literal",
        "A param (`param dim = 768`) is a literal: a number, a string, a word such as `true` or `pre`, or a list of them. It "
        + "cannot compute (`dim * 4`) or name another param, so a change of one param never moves another.");

    public static readonly DiagnosticDescriptor ParamNotAccepted = new("AV0031", Severity.Error, "param not accepted here",
        "Params can be used in component arguments (a whole value or an item of a list), in flow and loss arithmetic "
        + "(`/ sqrt(dim)`) and in the train settings `steps`, `epochs`, `batch`, `seed` and `clip`. An input's features, "
        + "an optimizer, a schedule, a data source and parameter groups take their values written out.");

    public static readonly DiagnosticDescriptor TeacherSpec = new("AV0032", Severity.Error, "teacher does not fit its spec",
        "A pretrained teacher (`pretrained(spec: Mavil, run: \"runs/mavil\", of: [a_encoder])`) loads each component it "
        + "lists from the run's checkpoint of `spec`, under the same name: every name must be a component of that spec "
        + "too, of the same kind (a `transformer` loads into a `transformer`). Shapes are compared when the weights load, "
        + "before the first step, and a mismatch names the parameter and both shapes.");

    public static readonly DiagnosticDescriptor UnusedComponent = new("AV0101", Severity.Warning, "unused component",
        "A component instance is declared but never called in the flow or a loss. It would add parameters that are "
        + "never trained; remove it or use it.");

    public static readonly DiagnosticDescriptor UnusedValue = new("AV0102", Severity.Warning, "unused value",
        "A flow value is bound but never used by a later value or a loss.");

    public static readonly DiagnosticDescriptor UnusedParam = new("AV0103", Severity.Warning, "unused param",
        "A param is declared but no argument, flow value, loss or setting uses it; changing it would change nothing.");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        Syntax, UnknownComponent, UnknownArgument, MissingArgument, ArgumentType, Duplicate, UnknownName, InputCount,
        UnknownMember, ExpressionType, UnknownSetting, MissingSetting, UnknownFunction, NoLoss, ExtendsCycle, UnknownSpec,
        UnknownOverride, SweepShape, Import, ShapeMismatch, ShapeRule, DataInputs, Constraint, ParamValue, ParamNotAccepted, TeacherSpec, UnusedComponent,
        UnusedValue, UnusedParam,
    };

    public static DiagnosticDescriptor? Find(string code) =>
        All.FirstOrDefault(d => string.Equals(d.Code, code, System.StringComparison.OrdinalIgnoreCase));
}
