namespace AvDsl.Demo.Tests;

public sealed class MidiNoteFileTests
{
    // The bytes of the hand-written writer that NAudio.Midi replaced (format 0, 480 ticks per quarter, full status
    // bytes): the same MIDI file means the same fluidsynth render, so the corpus did not change.
    [Theory]
    [InlineData(11, 60, 100, "4d546864000000060000000101e04d54726b0000001500c00b00903c648900803c008600b0790000ff2f00")]
    [InlineData(0, 36, 70, "4d546864000000060000000101e04d54726b0000001500c0000090244689008024008600b0790000ff2f00")]
    public void A_note_file_has_the_bytes_of_the_format_0_file_the_corpus_was_built_from(int program, int pitch, int velocity, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(MidiNoteFile.Create(program, pitch, velocity, holdSeconds: 1.2, tailSeconds: 0.8)));

    [Fact]
    public void Out_of_range_notes_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiNoteFile.Create(0, 128, 100, 1.2, 0.8));
}
