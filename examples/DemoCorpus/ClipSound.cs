using System.Globalization;
using AvDsl.Runtime.Data;

namespace AvDsl.Demo;

/// <summary>
/// The sound of a demo-corpus clip: espeak-ng speaks a keyword, fluidsynth plays a note from a one-note MIDI file, one
/// process per clip; then the render is fitted to the clip's length and offset, with a quiet room's noise added.
/// <para>
/// Why one fluidsynth run per note, though each run spends most of its ~95 ms (CPU, measured) loading 65 libraries and
/// the soundfont: a batch of notes in one run, each in its own slot of a longer MIDI file, renders every note after the
/// first differently in its first 64-sample block (up to 43 LSB here), because fluidsynth reuses a finished voice
/// without resetting its output gains; a batch would change the corpus and make a clip depend on its neighbours.
/// </para>
/// </summary>
public static class ClipSound
{
    public const int NoteSampleRate = 16000;
    public const double NoteHoldSeconds = 1.2;
    public const double NoteTailSeconds = 0.8;

    /// <summary>espeak-ng's render of a keyword clip and its sample rate.</summary>
    public static float[] Speak(DemoCorpusClip clip, string scratch, out int rate, CancellationToken cancel)
    {
        var raw = Path.Combine(scratch, clip.Name + ".raw.wav");
        Run("espeak-ng", ["-v", clip.Speaker, "-s", Invariant(clip.Speed), "-p", Invariant(clip.Pitch), "-w", raw, clip.Text], cancel);
        var samples = WavFile.Read(raw, out rate);
        File.Delete(raw);
        return samples;
    }

    /// <summary>fluidsynth's render of a note clip (at <see cref="NoteSampleRate"/>) from its one-note MIDI file.</summary>
    public static float[] Play(DemoCorpusClip note, string soundFont, string scratch, CancellationToken cancel)
    {
        var midi = Path.Combine(scratch, note.Name + ".mid");
        var raw = Path.Combine(scratch, note.Name + ".raw.wav");
        File.WriteAllBytes(midi, MidiNoteFile.Create(note.Program, note.Pitch, note.Velocity, NoteHoldSeconds, NoteTailSeconds));
        // Dynamic sample loading reads only the samples of the note's program, not all 6 MB of the soundfont: ~95 ms
        // of CPU a run instead of ~130 ms (measured), the same render.
        Run("fluidsynth", ["-n", "-i", "-q", "-R", "0", "-C", "0", "-g", "0.6", "-r", Invariant(NoteSampleRate), "-T", "wav", "-O", "s16",
            "-o", "synth.dynamic-sample-loading=1", "-F", raw, soundFont, midi], cancel);
        var samples = WavFile.Read(raw, out _);
        File.Delete(midi);
        File.Delete(raw);
        return samples;
    }

    /// <summary>
    /// The clip's sound at its length: the render placed at the clip's offset and cut to length, with -54 dBFS white
    /// noise (a quiet room instead of digital silence, as real recordings have) drawn from the clip's own seed.
    /// </summary>
    public static float[] Fit(DemoCorpusClip clip, ReadOnlySpan<float> render, int rate, double seconds, string synthesizer)
    {
        var fitted = new float[(int)(seconds * rate)];
        var offset = (int)(clip.Offset * rate);
        render[..Math.Min(render.Length, fitted.Length - offset)].CopyTo(fitted.AsSpan(offset));
        if (fitted.All(s => s == 0f))
            throw new InvalidOperationException($"demo corpus: {clip.Name} rendered silence; check the synthesizer ({synthesizer}).");
        var noise = new HostRandom(clip.NoiseSeed);
        for (var i = 0; i < fitted.Length; i++) fitted[i] += (float)(0.002 * noise.Normal());
        return fitted;
    }

    private static void Run(string tool, string[] arguments, CancellationToken cancel)
    {
        var result = MediaTool.Run(tool, arguments, null, TimeSpan.FromSeconds(60), cancel);
        if (!result.Succeeded)
            throw new InvalidOperationException($"demo corpus: {tool} {(result.TimedOut ? "timed out" : $"failed (exit {result.ExitCode})")}: {result.StderrTail()}");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
