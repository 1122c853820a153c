using System.Buffers.Binary;

namespace AvDsl.Demo;

/// <summary>A Standard MIDI File (format 0) holding one note on one General MIDI program — what fluidsynth renders.</summary>
public static class MidiNoteFile
{
    private const int TicksPerQuarter = 480; // at the default 120 bpm: 960 ticks per second

    public static byte[] Create(int program, int pitch, int velocity, double holdSeconds, double tailSeconds)
    {
        if (program is < 0 or > 127 || pitch is < 0 or > 127 || velocity is < 1 or > 127 || holdSeconds <= 0 || tailSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(program), $"MIDI note: program {program}, pitch {pitch}, velocity {velocity}, hold {holdSeconds} s are out of range.");
        var track = new List<byte>();
        void Event(int delta, params byte[] bytes) { WriteVariable(track, delta); track.AddRange(bytes); }
        Event(0, 0xC0, (byte)program);
        Event(0, 0x90, (byte)pitch, (byte)velocity);
        Event((int)Math.Round(holdSeconds * 2 * TicksPerQuarter), 0x80, (byte)pitch, 0);
        // A silent controller event after the tail keeps the file (and so the render) long enough for the release.
        Event((int)Math.Round(tailSeconds * 2 * TicksPerQuarter), 0xB0, 121, 0);
        Event(0, 0xFF, 0x2F, 0x00);

        var file = new byte[14 + 8 + track.Count];
        "MThd"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), 6);
        BinaryPrimitives.WriteInt16BigEndian(file.AsSpan(8), 0);
        BinaryPrimitives.WriteInt16BigEndian(file.AsSpan(10), 1);
        BinaryPrimitives.WriteInt16BigEndian(file.AsSpan(12), TicksPerQuarter);
        "MTrk"u8.CopyTo(file.AsSpan(14));
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(18), track.Count);
        track.CopyTo(file, 22);
        return file;
    }

    private static void WriteVariable(List<byte> bytes, int value)
    {
        var buffer = new Stack<byte>();
        buffer.Push((byte)(value & 0x7F));
        while ((value >>= 7) > 0) buffer.Push((byte)((value & 0x7F) | 0x80));
        bytes.AddRange(buffer);
    }
}
