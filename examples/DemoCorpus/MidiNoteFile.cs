using NAudio.Midi;

namespace AvDsl.Demo;

/// <summary>A Standard MIDI File (format 0) holding one note on one General MIDI program — what fluidsynth renders.
/// Written by NAudio.Midi; a test pins its bytes.</summary>
public static class MidiNoteFile
{
    private const int TicksPerQuarter = 480; // at the default 120 bpm: 960 ticks per second
    private const int Channel = 1;            // NAudio numbers channels 1-16: status bytes 0xC0, 0x90, 0x80, 0xB0

    public static byte[] Create(int program, int pitch, int velocity, double holdSeconds, double tailSeconds)
    {
        if (program is < 0 or > 127 || pitch is < 0 or > 127 || velocity is < 1 or > 127 || holdSeconds <= 0 || tailSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(program), $"MIDI note: program {program}, pitch {pitch}, velocity {velocity}, hold {holdSeconds} s are out of range.");
        var hold = (long)Math.Round(holdSeconds * 2 * TicksPerQuarter);
        var end = hold + (long)Math.Round(tailSeconds * 2 * TicksPerQuarter);

        var events = new MidiEventCollection(midiFileType: 0, deltaTicksPerQuarterNote: TicksPerQuarter);
        events.AddTrack();
        events.AddEvent(new PatchChangeEvent(0, Channel, program), 0);
        var note = new NoteOnEvent(0, Channel, pitch, velocity, (int)hold);
        events.AddEvent(note, 0);
        events.AddEvent(note.OffEvent!, 0); // made by the constructor from the duration
        // A silent controller event after the tail keeps the file (and so the render) long enough for the release.
        events.AddEvent(new ControlChangeEvent(end, Channel, MidiController.ResetAllControllers, 0), 0);
        events.AddEvent(new MetaEvent(MetaEventType.EndTrack, 0, end), 0);
        events.PrepareForExport();

        using var file = new MemoryStream();
        MidiFile.Export(file, events);
        return file.ToArray();
    }
}
