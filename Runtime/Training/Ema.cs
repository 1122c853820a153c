using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// An exponential-moving-average copy of a module (the data2vec / EAT teacher): same architecture, its own
/// parameters (no gradients), updated after each optimizer step by teacher = d·teacher + (1 − d)·student, with
/// the decay d annealed by a <see cref="Schedule"/> over <c>annealSteps</c> updates and held at its end value after
/// (EAT: linear 0.9998 → 0.99999 over 100k). Buffers are averaged too (integer ones copied). One fused native call
/// per update.
/// </summary>
public sealed class Ema<TModule> : IDisposable where TModule : Module
{
    private readonly (Tensor Teacher, Tensor Student)[] _pairs;

    /// <param name="student">the module being trained</param>
    /// <param name="create">builds a module of the same architecture (its initial values are overwritten)</param>
    public Ema(TModule student, Func<TModule> create, Schedule decay, long annealSteps)
    {
        if (annealSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(annealSteps), $"ema: anneal steps must be positive, got {annealSteps}.");
        Student = student;
        Decay = decay;
        AnnealSteps = annealSteps;
        using (new TensorScope())
            Teacher = create();
        // The teacher lives where the student does (a CUDA student gets a CUDA teacher).
        if (student.Parameters().FirstOrDefault() is { } first && first.Device.Type != DeviceType.Cpu)
            Teacher.To(first.Device);
        Teacher.LoadStateDict(student.StateDict());
        foreach (var parameter in Teacher.Parameters())
            parameter.RequiresGrad = false;
        var teacherState = Teacher.StateDict();
        _pairs = student.StateDict().Select(kv => (teacherState[kv.Key], kv.Value)).ToArray();
    }

    public TModule Student { get; }
    public TModule Teacher { get; }
    public Schedule Decay { get; }
    public long AnnealSteps { get; }

    /// <summary>Updates taken so far (set it when resuming from a checkpoint).</summary>
    public long StepCount
    {
        get => _stepCount;
        set => _stepCount = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"ema: step count must not be negative, got {value}.");
    }

    private long _stepCount;

    /// <summary>The decay the next <see cref="Step"/> uses.</summary>
    public double CurrentDecay => Decay.At(Math.Min(StepCount, AnnealSteps), AnnealSteps);

    /// <summary>One EMA update of every parameter and buffer; returns the decay used.</summary>
    public unsafe double Step()
    {
        var decay = CurrentDecay;
        var targets = new IntPtr[_pairs.Length];
        var sources = new IntPtr[_pairs.Length];
        for (var i = 0; i < _pairs.Length; i++)
        {
            targets[i] = _pairs[i].Teacher.HandleFor("Ema.Step");
            sources[i] = _pairs[i].Student.HandleFor("Ema.Step");
        }
        fixed (IntPtr* t = targets)
        fixed (IntPtr* s = sources)
        {
            var status = NativeMethods.avt_ema_step(t, s, _pairs.Length, decay);
            GC.KeepAlive(_pairs);
            NativeMethods.Check(status, "Ema.Step");
        }
        _stepCount++;
        return decay;
    }

    public void Dispose() => Teacher.Dispose();
}
