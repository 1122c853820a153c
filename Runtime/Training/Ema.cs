using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// Exponential moving averages of student modules held in teacher modules of the same architecture (the data2vec /
/// EAT teacher): the teachers start as copies, take no gradients, and each <see cref="Step"/> moves them by
/// teacher = d·teacher + (1 − d)·student. Buffers are averaged too (integer ones copied). The caller picks the decay
/// per step (EAT: linear 0.9998 → 0.99999 over 100k updates, a <see cref="LinearSchedule"/>), so resuming at a step
/// needs no state here. One fused native call per update.
/// </summary>
public sealed class Ema
{
    private readonly (Tensor Teacher, Tensor Student)[] _pairs;

    /// <param name="students">the modules being trained</param>
    /// <param name="teachers">one module per student, of the same architecture; overwritten with the student's values</param>
    public Ema(IReadOnlyList<Module> students, IReadOnlyList<Module> teachers)
    {
        if (students.Count != teachers.Count)
            throw new ArgumentException($"ema: {students.Count} students but {teachers.Count} teachers; give one teacher per student.");
        var pairs = new List<(Tensor, Tensor)>();
        for (var i = 0; i < students.Count; i++)
        {
            var (student, teacher) = (students[i], teachers[i]);
            // The teacher lives where the student does (a CUDA student gets a CUDA teacher).
            if (student.Parameters().FirstOrDefault() is { } first && first.Device.Type != DeviceType.Cpu)
                teacher.To(first.Device);
            teacher.LoadStateDict(student.StateDict());
            foreach (var parameter in teacher.Parameters())
                parameter.RequiresGrad = false;
            var teacherState = teacher.StateDict();
            pairs.AddRange(student.StateDict().Select(kv => (teacherState[kv.Key], kv.Value)));
        }
        _pairs = pairs.ToArray();
    }

    /// <summary>One EMA update of every parameter and buffer with decay <paramref name="decay"/> in [0, 1].</summary>
    public void Step(double decay)
    {
        if (decay is < 0 or > 1 || double.IsNaN(decay))
            throw new ArgumentOutOfRangeException(nameof(decay), $"ema: decay must be in [0, 1], got {decay}.");
        Fused.EmaUpdate_(_pairs.Select(p => p.Teacher).ToArray(), _pairs.Select(p => p.Student).ToArray(), decay);
    }
}
