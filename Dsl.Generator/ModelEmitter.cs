using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>Emits a spec's model: its components as properties, <c>Forward</c> following the flow line by line (with
/// #line directives back to the .avml), the <see cref="SpecModel"/> contract the trainer calls, the teachers and the
/// outputs record.</summary>
internal sealed class ModelEmitter(Spec spec, ComponentCatalog catalog, CSharpLiteral literal, Names names, SourceRoot root, ParamProperties @params)
{
    private string Tensor => literal.Types.Name(ComponentCatalog.TensorType);

    public void EmitModel(CodeWriter code)
    {
        code.Line($"/// <summary>The model of spec {spec.Name}: its components, and Forward as written in the flow.</summary>");
        code.Open($"public sealed partial class {spec.Name}Model : {literal.Types.Name("AvDsl.Runtime.Training.SpecModel")}");
        code.Line($"private readonly {spec.Name}Config _config;");
        foreach (var teacher in spec.Teachers.OfType<EmaTeacherModel>())
        {
            code.Line($"private readonly {literal.Types.Name("AvDsl.Runtime.Training.Ema")} _{CSharpLiteral.Local(teacher.Name)}Ema;");
        }
        code.Line();
        code.Open($"public {spec.Name}Model({spec.Name}Config config)");
        code.Line("_config = config;");
        foreach (var component in Modules())
        {
            code.Directive(LineDirective(component.Location));
            code.Line($"{names.Component(component.Name)} = {Construct(component)};");
        }
        foreach (var teacher in spec.Teachers)
        {
            code.Directive(LineDirective(teacher.Location));
            code.Line($"{names.Component(teacher.Name)} = new {spec.Name}{Names.Property(teacher.Name)}(config);");
            if (teacher is EmaTeacherModel)
            {
                var students = string.Join(", ", teacher.Of.Select(names.Component));
                var copies = string.Join(", ", teacher.Of.Select(o => $"{names.Component(teacher.Name)}.{names.Component(o)}"));
                code.Line($"_{CSharpLiteral.Local(teacher.Name)}Ema = new([{students}], [{copies}]);");
            }
            else
            {
                code.Line($"{names.Component(teacher.Name)}.Freeze();");
            }
        }
        foreach (var replay in spec.Replays)
        {
            code.Directive(LineDirective(replay.Location));
            code.Line($"{names.Component(replay.Name)} = {ConstructReplay(replay)};");
        }
        code.Directive("#line default");
        code.Close();
        code.Line();
        foreach (var component in Modules())
        {
            code.Line($"public {literal.Types.Name(component.ClrType)} {names.Component(component.Name)} {{ get; }}");
        }
        foreach (var replay in spec.Replays)
        {
            code.Line($"public {literal.Types.Name(TypeNames.ReplayBuffer)} {names.Component(replay.Name)} {{ get; }}");
        }
        foreach (var teacher in spec.Teachers)
        {
            code.Line($"public {spec.Name}{Names.Property(teacher.Name)} {names.Component(teacher.Name)} {{ get; }}");
        }
        code.Line();
        var inputs = string.Join(", ", spec.Inputs.Select(i => $"{Tensor} {CSharpLiteral.Local(i.Name)}"));
        code.Open($"public {spec.Name}Outputs Forward({inputs})");
        foreach (var value in spec.Flow)
        {
            code.Directive(LineDirective(value.Location));
            code.Line($"var {CSharpLiteral.Local(value.Name)} = {Expression(value.Value)};{(value.Shape is null ? "" : " // " + value.Shape)}");
        }
        foreach (var loss in spec.Losses)
        {
            code.Directive(LineDirective(loss.Location));
            code.Line($"var {CSharpLiteral.Local(loss.Name)} = {Expression(loss.Value)};");
        }
        code.Directive("#line default");
        var total = string.Join(" + ", spec.Losses.Select(l => CSharpLiteral.Local(l.Name)));
        var fields = spec.Flow.Select(v => CSharpLiteral.Local(v.Name)).Concat(spec.Losses.Select(l => CSharpLiteral.Local(l.Name)));
        code.Line($"return new {spec.Name}Outputs({string.Join(", ", fields)}, Objective: {total});");
        code.Close();
        if (spec.Eval is { } eval)
        {
            foreach (var embedding in eval.Embeddings) EmitEmbedding(code, eval, embedding);
        }
        EmitContract(code);
        code.Close();
    }

    /// <summary>One method per embedding: the eval values it needs, in order (a value two embeddings need is computed by each).</summary>
    private void EmitEmbedding(CodeWriter code, EvalModel eval, string embedding)
    {
        var closure = eval.Closure(embedding);
        var parameters = string.Join(", ", EmbeddingInputs(eval, embedding).Select(i => $"{Tensor} {CSharpLiteral.Local(i)}"));
        code.Line();
        code.Line(embedding == EvalModel.DefaultName
            ? "/// <summary>One embedding per clip, [B, D], as the spec's <c>eval { embed: … }</c> computes it.</summary>"
            : $"/// <summary>Embedding <c>{embedding}</c>, one vector per clip [B, D], as the spec's <c>eval</c> block computes it.</summary>");
        code.Open($"public {Tensor} {EmbeddingMethod(embedding)}({parameters})");
        foreach (var value in closure.Take(closure.Count - 1))
        {
            code.Directive(LineDirective(value.Location));
            code.Line($"var {CSharpLiteral.Local(value.Name)} = {Expression(value.Value)};{(value.Shape is null ? "" : " // " + value.Shape)}");
        }
        code.Directive(LineDirective(closure[closure.Count - 1].Location));
        code.Line($"return {Expression(closure[closure.Count - 1].Value)};");
        code.Directive("#line default");
        code.Close();
    }

    private IReadOnlyList<string> EmbeddingInputs(EvalModel eval, string embedding) => eval.Inputs(embedding, spec.Inputs.Select(i => i.Name));

    private static string EmbeddingMethod(string embedding) => embedding == EvalModel.DefaultName ? "Embed" : "Embed" + Names.Property(embedding);

    /// <summary>What the trainer calls: the loss of a batch, its embedding, and the per-step hooks.</summary>
    private void EmitContract(CodeWriter code)
    {
        var batch = literal.Types.Name("AvDsl.Runtime.Data.Batch");
        var arguments = string.Join(", ", spec.Inputs.Select(i => $"batch[{CSharpLiteral.String(i.Name)}]"));
        code.Line();
        code.Open($"public override {literal.Types.Name("AvDsl.Runtime.Training.LossTerms")} Loss({batch} batch)");
        code.Line($"var outputs = Forward({arguments});");
        var terms = string.Join(", ", spec.Losses.Select(l => $"new({CSharpLiteral.String(l.Name)}, outputs.{Names.Property(l.Name)})"));
        if (spec.Replays.Count == 0)
        {
            code.Line($"return new(outputs.Objective, [{terms}]);");
        }
        else
        {
            code.Line($"return new(outputs.Objective, [{terms}])");
            code.Line("{");
            code.Line("    // Once the step is taken, each buffer is offered the step's samples.");
            code.Line("    Remember = () =>");
            code.Line("    {");
            foreach (var replay in spec.Replays)
            {
                var stored = replay.Stores.Select(s => $"[{CSharpLiteral.String(s.Name)}] = {(s.Input ? $"batch[{CSharpLiteral.String(s.Name)}]" : $"outputs.{Names.Property(s.Name)}")}");
                code.Line($"        {names.Component(replay.Name)}.Add(new System.Collections.Generic.Dictionary<string, {Tensor}> {{ {string.Join(", ", stored)} }});");
            }
            code.Line("    },");
            code.Line("};");
        }
        code.Close();
        if (spec.Replays.Count > 0)
        {
            var buffer = literal.Types.Name(TypeNames.ReplayBuffer);
            code.Line();
            code.Line("/// <summary>The replay buffers, by name: saved with every checkpoint, emptied at a stage that does not carry them.</summary>");
            code.Line($"public override System.Collections.Generic.IReadOnlyDictionary<string, {buffer}> ReplayBuffers =>");
            code.Line($"    new System.Collections.Generic.Dictionary<string, {buffer}> {{ {string.Join(", ", spec.Replays.Select(r => $"[{CSharpLiteral.String(r.Name)}] = {names.Component(r.Name)}"))} }};");
        }
        if (spec.Eval is { } eval)
        {
            code.Line();
            code.Open($"public override {Tensor} Embed({batch} batch, string name) => name switch");
            foreach (var embedding in eval.Embeddings)
            {
                var read = string.Join(", ", EmbeddingInputs(eval, embedding).Select(i => $"batch[{CSharpLiteral.String(i)}]"));
                code.Line($"{CSharpLiteral.String(embedding)} => {EmbeddingMethod(embedding)}({read}),");
            }
            code.Line("_ => throw UnknownEmbedding(name),");
            code.Close(";");
        }
        if (spec.Reconstructions.Count > 0) EmitReconstruct(code, batch);
        var scheduled = Scheduled().ToList();
        if (scheduled.Count > 0)
        {
            code.Line();
            code.Line("public override bool HasScheduledArguments => true;");
            code.Line();
            code.Line("/// <summary>Every scheduled argument takes its value for the coming step.</summary>");
            code.Open("public override void BeforeStep(long step, long totalSteps)");
            foreach (var (component, argument) in scheduled)
            {
                // The catalog admits a schedule only where the class has a settable property named after the parameter.
                var clr = catalog.Find(component.Component)!.FindParameter(argument.Name)!.ClrName;
                var name = names.Component(component.Name);
                code.Line($"{name}.{char.ToUpperInvariant(clr[0])}{clr.Substring(1)} = _config.{name}.{NameCase.ToPascal(argument.Name)}.At(step, totalSteps);");
            }
            code.Close();
        }
        var pretrained = spec.Teachers.OfType<PretrainedTeacherModel>().ToList();
        if (pretrained.Count > 0)
        {
            code.Line();
            code.Line("/// <summary>Before a new run's first step, each pretrained teacher reads its weights from its run's final checkpoint.</summary>");
            code.Open("public override void LoadPretrained()");
            foreach (var teacher in pretrained)
            {
                var settings = $"_config.{names.Component(teacher.Name)}";
                code.Directive(LineDirective(teacher.Location));
                code.Line($"{literal.Types.Name("AvDsl.Runtime.Training.PretrainedTeacher")}.Load({names.Component(teacher.Name)}, {settings}.Run, {settings}.Spec);");
            }
            code.Directive("#line default");
            code.Close();
        }
        var ema = spec.Teachers.OfType<EmaTeacherModel>().ToList();
        if (ema.Count > 0)
        {
            code.Line();
            code.Line("/// <summary>Each teacher moves towards the student after an optimizer step, with the decay for that step.</summary>");
            code.Open("public override void AfterStep(long step, long totalSteps)");
            foreach (var teacher in ema)
            {
                code.Line($"_{CSharpLiteral.Local(teacher.Name)}Ema.Step(_config.{names.Component(teacher.Name)}.Decay.At(step, totalSteps));");
            }
            code.Close();
        }
    }

    /// <summary>For each reconstruction loss, what its picture needs from one forward pass: the input, the mask, the predicted
    /// patches and the component that cut the target.</summary>
    private void EmitReconstruct(CodeWriter code, string batch)
    {
        var arguments = string.Join(", ", spec.Inputs.Select(i => $"batch[{CSharpLiteral.String(i.Name)}]"));
        code.Line();
        code.Line("/// <summary>For each reconstruction loss, from one forward pass: the input, the mask, the predicted patches and what cut the target.</summary>");
        code.Open($"public override {literal.Types.Name(TypeNames.Reconstruction)}[] Reconstruct({batch} batch)");
        code.Line($"var outputs = Forward({arguments});");
        code.Line("return");
        code.Line("[");
        foreach (var term in spec.Reconstructions)
        {
            // A stateful noising component is handed to a sampler; a stateless op has no instance to hand.
            var noise = term.Noise is { } instance && spec.FindComponent(instance) is { } component && catalog.Find(component.Component) is { IsStateless: false }
                ? $", Noise: {names.Component(instance)}"
                : "";
            code.Line($"    new({CSharpLiteral.String(term.Loss)}, batch[{CSharpLiteral.String(term.Input)}], {Output(term.Mask)}, {Output(term.Prediction)}, {names.Component(term.Patches)}{noise}),");
        }
        code.Line("];");
        code.Close();
    }

    /// <summary>A flow value, or an output of one, read from the outputs record: <c>outputs.AView.Masked</c>.</summary>
    private static string Output(Expr expr) => expr switch
    {
        ValueRef value => $"outputs.{Names.Property(value.Name)}",
        MemberAccess member => $"{Output(member.Target)}.{member.ClrName}",
        _ => throw new System.ArgumentException($"a reconstruction reads flow values only, not {expr}"),
    };

    /// <summary>A teacher's copies of components: built like the student's, then overwritten by the EMA or by the weights
    /// of the teacher's run.</summary>
    public void EmitTeacher(CodeWriter code, TeacherModel teacher)
    {
        var name = spec.Name + Names.Property(teacher.Name);
        var copies = string.Join(", ", teacher.Of.Select(o => $"<c>{o}</c>"));
        code.Line(teacher switch
        {
            PretrainedTeacherModel pretrained => $"/// <summary>Teacher `{teacher.Name}` of spec {spec.Name}: frozen copies of {copies} with the weights of a run of spec {pretrained.Spec}.</summary>",
            _ => $"/// <summary>Teacher `{teacher.Name}` of spec {spec.Name}: EMA copies of {copies}, without gradients.</summary>",
        });
        code.Open($"public sealed class {name} : {literal.Types.Name("AvDsl.Runtime.Nn.Module")}");
        code.Open($"public {name}({spec.Name}Config config)");
        foreach (var component in teacher.Of.Select(o => spec.FindComponent(o)!))
        {
            code.Directive(LineDirective(component.Location));
            code.Line($"{names.Component(component.Name)} = {Construct(component)};");
        }
        code.Directive("#line default");
        code.Close();
        code.Line();
        foreach (var component in teacher.Of.Select(o => spec.FindComponent(o)!))
        {
            code.Line($"public {literal.Types.Name(component.ClrType)} {names.Component(component.Name)} {{ get; }}");
        }
        code.Close();
    }

    public void EmitOutputs(CodeWriter code)
    {
        var fields = spec.Flow.Select(v => $"{literal.Types.Name(v.Value.Type)} {Names.Property(v.Name)}")
            .Concat(spec.Losses.Select(l => $"{Tensor} {Names.Property(l.Name)}"))
            .Concat(new[] { $"{Tensor} Objective" })
            .ToList();
        code.Line($"/// <summary>Every flow value and loss term of spec {spec.Name}; <c>Objective</c> is the sum of the loss terms.</summary>");
        code.Line($"public sealed record {spec.Name}Outputs(");
        for (var i = 0; i < fields.Count; i++) code.Line("    " + fields[i] + (i + 1 < fields.Count ? "," : ");"));
    }

    private string Construct(ComponentModel component)
    {
        var signature = catalog.Find(component.Component)!;
        var steps = @params.Train(spec.Training, "steps", "config") ?? "config.Train.Steps ?? 1";
        var arguments = signature.Parameters.Select(p =>
        {
            var setting = Setting(component, p, "config");
            // A scheduled argument starts at its value for step 0; BeforeStep moves it every step.
            return $"{p.ClrName}: {setting}{(component.Find(p.Name)?.Value is ScheduleValue ? $".At(0, {steps})" : "")}";
        });
        return $"new {literal.Types.Name(component.ClrType)}({string.Join(", ", arguments)})";
    }

    /// <summary>A replay buffer with room for what it stores, its draws seeded by the run's seed.</summary>
    private string ConstructReplay(ReplayModel replay)
    {
        var dtype = literal.Types.Name("AvDsl.Runtime.Torch.DType");
        var fields = replay.Stores.Select(s =>
            $"new({CSharpLiteral.String(s.Name)}, {dtype}.Float32, [{string.Join(", ", s.Shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture) + "L"))}])");
        var seed = @params.Train(spec.Training, "seed", "config") ?? "config.Train.Seed";
        return $"new {literal.Types.Name(TypeNames.ReplayBuffer)}(capacity: config.{names.Component(replay.Name)}.Size, seed: {seed}, identity: {literal.Types.Name(TypeNames.ReplayBuffer)}.IdentityFor({spec.Name}Spec.Name, {spec.Name}Spec.ResolvedSpec), fields: [{string.Join(", ", fields)}])";
    }

    /// <summary>Components with state of their own (modules); a stateless op is called where the flow uses it.</summary>
    private IEnumerable<ComponentModel> Modules() => spec.Components.Where(c => catalog.Find(c.Component) is { IsStateless: false });

    /// <summary><c>Tokens.RepeatInterleave(target, times: _config.FramesRepeatInterleave.Times)</c>.</summary>
    private string Call(ComponentModel component, ComponentSignature signature, IEnumerable<string> inputs)
    {
        var arguments = signature.Parameters.Select(p => $"{p.ClrName}: {Setting(component, p, "_config")}");
        if (signature.InputsWithoutGrad)
            inputs = inputs.Select(input => $"{literal.Types.Name("AvDsl.Runtime.Torch.Autograd")}.WithoutGrad(() => {input})");
        return $"{literal.Types.Name(component.ClrType)}.{signature.StaticMethod}({string.Join(", ", inputs.Concat(arguments))})";
    }

    /// <summary>How the code reads an argument: from the component's settings record, or the params it follows.</summary>
    private string Setting(ComponentModel component, ParameterSignature parameter, string config) =>
        component.Find(parameter.Name) is { } argument && @params.Argument(argument, parameter, literal, config) is { } followed
            ? followed
            : $"{config}.{names.Component(component.Name)}.{NameCase.ToPascal(parameter.Name)}";

    private IEnumerable<(ComponentModel Component, Argument Argument)> Scheduled() =>
        spec.Components.SelectMany(c => c.Arguments.Where(a => a.Value is ScheduleValue).Select(a => (c, a)));

    private string LineDirective(SourceLocation location) => $"#line {location.Line} {CSharpLiteral.String(root.Relative(location.Path))}";

    private string Expression(Expr expr) => expr switch
    {
        InputRef input => CSharpLiteral.Local(input.Name),
        ValueRef value => CSharpLiteral.Local(value.Name),
        Constant constant => CSharpLiteral.Double(constant.Value),
        Sqrt sqrt => $"System.Math.Sqrt({Expression(sqrt.Operand)})",
        SettingRef setting => Setting(spec.FindComponent(setting.Instance)!, catalog.Find(spec.FindComponent(setting.Instance)!.Component)!.FindParameter(setting.Argument)!, "_config"),
        ParamRef param => @params.Read(param.Name, "double", "_config"),
        Invoke invoke when spec.FindComponent(invoke.Instance) is { } component && catalog.Find(component.Component) is { IsStateless: true } signature =>
            Call(component, signature, invoke.Inputs.Select(Expression)),
        Invoke invoke => $"{(invoke.Teacher is null ? "" : names.Component(invoke.Teacher) + ".")}{names.Component(invoke.Instance)}"
            + $".{(invoke.Method is null ? "Forward" : "Forward" + NameCase.ToPascal(invoke.Method))}({string.Join(", ", invoke.Inputs.Select(Expression))})",
        MemberAccess member => $"{Operand(member.Target)}.{member.ClrName}",
        ReplayDraw draw => $"{names.Component(draw.Buffer)}.SampleLike({Expression(draw.Like)})",
        ReplayRead read => $"{Operand(read.Target)}[{CSharpLiteral.String(read.Field)}]",
        MaskSelect select => $"{Operand(select.Target)}[{Expression(select.Mask)}]",
        Negate negate => $"-{Operand(negate.Operand)}",
        Binary binary => $"{Operand(binary.Left)} {binary.Operator} {Operand(binary.Right)}",
        _ => throw new System.ArgumentException($"unknown expression {expr}"),
    };

    private string Operand(Expr expr) => expr is Binary or Negate || expr is Constant { Value: < 0 } ? $"({Expression(expr)})" : Expression(expr);
}
