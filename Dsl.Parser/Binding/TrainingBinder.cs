using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>train { … }</c>: optimizer, learning rate, run length, batch size, seed, clipping, device,
/// precision, parameter groups and what a non-finite step does.</summary>
internal sealed class TrainingBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly SettingsBlocks _blocks;
    private readonly ArgumentBinder _arguments;
    private readonly FunctionBinder _functions;
    private readonly ParamBinder _params;
    // The settings of the block being bound that follow a param.
    private readonly List<SettingParam> _followed = new();

    public TrainingBinder(DiagnosticSink diagnostics, SpecScope scope, SettingsBlocks blocks, ArgumentBinder arguments, FunctionBinder functions, ParamBinder @params)
    {
        _params = @params;
        _diagnostics = diagnostics;
        _scope = scope;
        _blocks = blocks;
        _arguments = arguments;
        _functions = functions;
    }

    private static readonly string[] Keys = { "optimizer", "lr", "steps", "epochs", "batch", "seed", "clip", "device", "precision", "groups", "lr_scaling", "carry", "non_finite" };

    public TrainingModel? BindTraining(SpecSyntax spec)
    {
        var block = _blocks.SingleBlock(spec, "train");
        if (block is null)
        {
            Report(DiagnosticCodes.MissingSetting, spec.NameSpan, $"spec `{spec.Name}` has no `train` block",
                "add `train { optimizer: adamw() lr: warmup_cosine(peak: 1e-3, warmup: 10) steps: 100 batch: 8 }`");
            return null;
        }
        var settings = _blocks.Settings(block, Keys);
        var groups = new List<ParameterGroupModel>();
        string device = "cpu", precision = "fp32", lrScaling = "none", nonFinite = "stop";
        FunctionModel? optimizer = null, lr = null;
        long? steps = null, epochs = null;
        Value? batch = null;
        long seed = 0;
        double? clip = null;
        var carry = TrainingModel.CarryAll.ToEquatableArray();
        var ok = true;
        _followed.Clear();
        foreach (var (key, setting) in settings)
        {
            // Params follow where the setting is one number; elsewhere they are not accepted (yet).
            if (key is not ("steps" or "epochs" or "batch" or "seed" or "clip") && _params.RejectsIn(setting.Value, $"`train.{key}`"))
            {
                ok = false;
                continue;
            }
            switch (key)
            {
                case "optimizer":
                    optimizer = _functions.BindFunction(setting.Value, "optimizer", FunctionKind.Optimizer);
                    ok &= optimizer is not null;
                    break;
                case "lr":
                    lr = _functions.BindSchedule(setting.Value);
                    ok &= lr is not null;
                    break;
                case "steps":
                    steps = Positive(setting, ParameterKind.Long);
                    ok &= steps is not null;
                    break;
                case "epochs":
                    epochs = Positive(setting, ParameterKind.Long);
                    ok &= epochs is not null;
                    break;
                case "batch":
                    if (setting.Value is CallSyntax)
                    {
                        var schedule = _functions.BindFunction(setting.Value, "schedule", FunctionKind.Schedule);
                        batch = schedule is null ? null : new ScheduleValue(schedule);
                    }
                    else
                    {
                        batch = Positive(setting, ParameterKind.Int) is { } size ? new IntValue(size) : null;
                    }
                    ok &= batch is not null;
                    break;
                case "seed":
                    var s = Follow(setting, ParameterKind.Long);
                    if (s is IntValue si) seed = si.Value;
                    else ok = false;
                    break;
                case "device":
                    var chosen = Choice(setting, "device", "`cpu`, `auto`, `cuda` or \"cuda:N\"", new[] { "cpu", "auto", "cuda" },
                        text => text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.Substring(5), out var n) && n >= 0);
                    if (chosen is null) ok = false;
                    else device = chosen;
                    break;
                case "precision":
                    var words = _functions.Catalog.Precisions.ToArray();
                    var expected = string.Join(", ", words.Take(words.Length - 1).Select(w => $"`{w}`")) + (words.Length > 1 ? " or " : "") + $"`{words.LastOrDefault()}`";
                    var mode = Choice(setting, "precision", expected, words, _ => false);
                    if (mode is null) ok = false;
                    else precision = mode;
                    break;
                case "lr_scaling":
                    var rule = Choice(setting, "lr_scaling", "`none`, `linear` or `sqrt`", LrScalings, _ => false);
                    if (rule is null) ok = false;
                    else lrScaling = rule;
                    break;
                case "non_finite":
                    var policy = Choice(setting, "non_finite", "`stop` or `skip`", NonFinitePolicies, _ => false);
                    if (policy is null) ok = false;
                    else nonFinite = policy;
                    break;
                case "groups":
                    var bound = BindGroups(setting.Value);
                    if (bound is null) ok = false;
                    else groups = bound;
                    break;
                case "carry":
                    var carried = BindCarry(setting.Value);
                    if (carried is null) ok = false;
                    else carry = carried.ToEquatableArray();
                    break;
                case "clip":
                    var c = Follow(setting, ParameterKind.Double);
                    if (c is DoubleValue cd) clip = cd.Value;
                    else ok = false;
                    break;
            }
        }
        foreach (var required in new[] { "optimizer", "lr", "batch" })
        {
            if (!settings.ContainsKey(required) && !SettingsBlocks.IsMisspelt(block, required, Keys))
            {
                Report(DiagnosticCodes.MissingSetting, block.KindSpan, $"`train` needs `{required}`", RequiredHelp(required));
                ok = false;
            }
        }
        if (settings.ContainsKey("steps") == settings.ContainsKey("epochs"))
        {
            if (!settings.ContainsKey("steps") && (SettingsBlocks.IsMisspelt(block, "steps", Keys) || SettingsBlocks.IsMisspelt(block, "epochs", Keys))) return null;
            var both = settings.ContainsKey("steps");
            Report(both ? DiagnosticCodes.Duplicate : DiagnosticCodes.MissingSetting, both ? settings["epochs"].KeySpan : block.KindSpan,
                both ? "`train` sets both `steps` and `epochs`; they say the same thing" : "`train` needs `steps` or `epochs`",
                both ? "keep one of them" : RequiredHelp("steps"));
            ok = false;
        }
        if (ok && lr is not null && batch is not null)
        {
            var values = new List<(string, Value, TextSpan)> { ("lr", new ScheduleValue(lr), settings["lr"].Value.Span), ("batch", batch, settings["batch"].Value.Span) };
            if (clip is { } bound) values.Add(("clip", new DoubleValue(bound), settings["clip"].Value.Span));
            _arguments.Constraints.CheckSettings("train", block.KindSpan, Rules, values);
        }
        return ok && optimizer is not null && lr is not null && (steps is not null || epochs is not null) && batch is not null
            ? new TrainingModel(optimizer, lr, steps, batch, seed, clip, device, precision, epochs, groups.ToEquatableArray(), _followed.ToEquatableArray(), lrScaling, carry, nonFinite)
            : null;
    }

    /// <summary>The words of <c>lr_scaling</c>: Runtime's LearningRateScaling, in snake_case.</summary>
    private static readonly string[] LrScalings = { "none", "linear", "sqrt" };

    /// <summary>The words of <c>non_finite</c>: Runtime's NonFinitePolicy, in snake_case.</summary>
    private static readonly string[] NonFinitePolicies = { "stop", "skip" };

    /// <summary>What <c>train</c>'s values must meet; a schedule is checked at every value it reaches.</summary>
    private static readonly ConstraintSignature[] Rules =
    {
        new("lr >= 0", "the learning rate must not be negative"),
        new("batch >= 1", "a step takes at least one example"),
        new("clip > 0", "clip bounds the gradient's norm, so it must be positive"),
    };

    private static readonly ConstraintSignature[] GroupRules = { new("lr_scale >= 0", "lr_scale must not be negative") };

    private static readonly ParameterSignature[] GroupParameters =
    {
        new("lr_scale", "lr_scale", ParameterKind.Double, new DoubleValue(1.0)),
        new("weight_decay", "weight_decay", ParameterKind.Double, new DoubleValue(-1.0)),
        new("frozen", "frozen", ParameterKind.Bool, new BoolValue(false)),
    };

    /// <summary><c>groups: [group(of: [decoder], lr_scale: 2.0), group(of: [patches], frozen: true)]</c></summary>
    private List<ParameterGroupModel>? BindGroups(ExpressionSyntax syntax)
    {
        const string help = "for example `groups: [group(of: [decoder], lr_scale: 2.0), group(of: [patches], frozen: true)]`";
        if (syntax is not ListSyntax list)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"`groups` must be a list of `group(…)`, found {ArgumentBinder.Describe(syntax)}", help);
            return null;
        }
        var groups = new List<ParameterGroupModel>();
        foreach (var item in list.Items)
        {
            if (item is not CallSyntax { Callee: NameSyntax { Name: "group" } } call)
            {
                Report(DiagnosticCodes.ArgumentType, item.Span, $"each entry of `groups` is a `group(…)`, found {ArgumentBinder.Describe(item)}", help);
                return null;
            }
            var of = call.Arguments.FirstOrDefault(a => a.Name == "of");
            if (of is null)
            {
                Report(DiagnosticCodes.MissingArgument, call.Callee.Span, "`group` needs `of`", "list the components it sets: `of: [decoder]`");
                return null;
            }
            if (of.Value is not ListSyntax { Items.Count: > 0 } names || names.Items.Any(n => n is not NameSyntax))
            {
                Report(DiagnosticCodes.ArgumentType, of.Value.Span, "`of` must list component names, such as `[decoder]`", null);
                return null;
            }
            foreach (var name in names.Items.Cast<NameSyntax>())
            {
                if (_scope.Instances.ContainsKey(name.Name)) continue;
                if (_scope.Failed.Contains(name.Name)) return null;
                Report(DiagnosticCodes.UnknownName, name.Span, _scope.Teachers.ContainsKey(name.Name) ? $"`{name.Name}` is a teacher; it takes no gradients already" : $"`{name.Name}` is not a component",
                    NearMiss.Help(name.Name, _scope.Instances.Keys, "a group sets components declared in this spec"));
                return null;
            }
            var arguments = _arguments.Bind("group", call.Callee.Span, GroupParameters, call.Arguments.Where(a => a.Name != "of").ToList(), GroupRules);
            if (arguments is null || _diagnostics.Reported.Any(d => d.IsError && d.Span.Start >= call.Span.Start && d.Span.End <= call.Span.End)) return null;
            double Number(string key) => ((DoubleValue)arguments.Value.First(a => a.Name == key).Value).Value;
            var weightDecay = call.Arguments.Any(a => a.Name == "weight_decay") ? Number("weight_decay") : (double?)null;
            if (weightDecay < 0)
            {
                Report(DiagnosticCodes.Constraint, call.Arguments.First(a => a.Name == "weight_decay").Value.Span,
                    $"`group`: weight_decay must not be negative, but weight_decay = {weightDecay.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", null);
                return null;
            }
            groups.Add(new ParameterGroupModel(names.Items.Cast<NameSyntax>().Select(n => n.Name).ToEquatableArray(), Number("lr_scale"), weightDecay,
                ((BoolValue)arguments.Value.First(a => a.Name == "frozen").Value).Value));
        }
        return groups;
    }

    /// <summary><c>carry: [model, optimizer, buffer]</c>: what a stage of a sequence of tasks takes over from the one before.</summary>
    private List<string>? BindCarry(ExpressionSyntax syntax)
    {
        var words = TrainingModel.CarryAll;
        const string help = "list what a stage takes over from the one before, for example `carry: [model, optimizer, buffer]`; `carry: [model]` starts each stage with fresh optimizer moments and an empty buffer";
        if (syntax is not ListSyntax list)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"`carry` must be a list of {string.Join(", ", words.Select(w => $"`{w}`"))}, found {ArgumentBinder.Describe(syntax)}", help);
            return null;
        }
        var carried = new List<string>();
        foreach (var item in list.Items)
        {
            if (item is NameSyntax name && words.Contains(name.Name))
            {
                if (carried.Contains(name.Name))
                {
                    Report(DiagnosticCodes.Duplicate, item.Span, $"`{name.Name}` is listed twice in `carry`", "keep one");
                    return null;
                }
                carried.Add(name.Name);
                continue;
            }
            var text = (item as NameSyntax)?.Name;
            Report(DiagnosticCodes.ArgumentType, item.Span, $"`carry` lists {string.Join(", ", words.Select(w => $"`{w}`"))}, found {ArgumentBinder.Describe(item)}",
                text is null ? help : NearMiss.Help(text, words, help));
            return null;
        }
        // Written in the canonical order, so that the same choice always prints (and hashes) the same.
        return words.Where(carried.Contains).ToList();
    }

    /// <summary>A setting that is one of a few words (or a string that <paramref name="alsoValid"/> accepts).</summary>
    private string? Choice(SettingSyntax setting, string key, string expected, string[] words, Func<string, bool> alsoValid)
    {
        var text = setting.Value switch { NameSyntax n => n.Name, StringSyntax s => s.Value, _ => null };
        if (text is not null && (words.Contains(text) || alsoValid(text))) return text;
        Report(DiagnosticCodes.ArgumentType, setting.Value.Span, $"`{key}` must be {expected}, found {ArgumentBinder.Describe(setting.Value)}",
            text is null ? null : NearMiss.Help(text, words, $"`{key}` is one of " + string.Join(", ", words.Select(w => $"`{w}`"))));
        return null;
    }

    private static string RequiredHelp(string key) => key switch
    {
        "optimizer" => "for example `optimizer: adamw(betas: [0.9, 0.95], weight_decay: 0.05)`",
        "lr" => "a number or a schedule, for example `lr: warmup_cosine(peak: 1e-3, warmup: 10)`",
        "steps" => "the number of optimizer steps, for example `steps: 100`",
        _ => "the number of examples per step, for example `batch: 8`",
    };

    /// <summary>A one-number setting, which may name a param (<c>batch: batch_size</c>).</summary>
    private Value? Follow(SettingSyntax setting, ParameterKind kind)
    {
        var value = _arguments.Follow(setting.Value, new ParameterSignature(setting.Key, setting.Key, kind, null), "train", out var use);
        if (value is not null && use?.Whole is { } param) _followed.Add(new SettingParam(setting.Key, param));
        return value;
    }

    private long? Positive(SettingSyntax setting, ParameterKind kind)
    {
        var value = Follow(setting, kind);
        if (value is not IntValue v) return null;
        if (v.Value > 0) return v.Value;
        Report(DiagnosticCodes.ArgumentType, setting.Value.Span, $"`{setting.Key}` must be at least 1, found {v.Value}", null);
        return null;
    }

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
