namespace AvDsl.Demo;

/// <summary>
/// One planned clip of the demo corpus: its task ("keywords", "notes", or "pool" for the unlabelled pre-training
/// pool), file name, label, split, and the synthesizer's settings (espeak-ng text/voice/speed/pitch for speech; GM
/// program/pitch/velocity for a note).
/// </summary>
public sealed record DemoCorpusClip(string Task, string Name, string Label, string Split, string Speaker,
    string Text = "", int Speed = 0, int Pitch = 0, int Program = 0, int Velocity = 0, double Offset = 0, long NoiseSeed = 0)
{
    public string RelativePath => $"clips/{Name}.mp4";

    /// <summary>Spoken by espeak-ng (it has a text), rather than played by fluidsynth.</summary>
    public bool IsSpeech => Text.Length > 0;
}
