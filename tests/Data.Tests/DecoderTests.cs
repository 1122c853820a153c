using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

[Collection(MediaCollection.Name)]
public sealed class DecoderTests(MediaFiles media)
{
    [Fact]
    public void Probe_reports_streams_and_duration()
    {
        var info = MediaProbe.Probe(media.At("clip.mp4"));
        Assert.Equal(2.0, info.Duration!.Value, 1);
        Assert.Equal("h264", info.FirstVideo!.Codec);
        Assert.Equal(160, info.FirstVideo.Width);
        Assert.Equal(10.0, info.FirstVideo.FrameRate!.Value, 3);
        Assert.Equal("aac", info.FirstAudio!.Codec);
        Assert.Equal(48000, info.FirstAudio.SampleRate);
    }

    [Fact]
    public void A_16kHz_wav_read_directly_equals_what_ffmpeg_decodes()
    {
        // AudioDecoder reads such files itself; this pins that ffmpeg would give the same floats.
        var direct = AudioDecoder.Decode(media.At("sine.wav"));
        var viaFfmpeg = MediaTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", media.At("sine.wav"), "-ac", "1", "-ar", "16000", "-f", "f32le", "-"]);
        var samples = new float[viaFfmpeg.Stdout.Length / 4];
        Buffer.BlockCopy(viaFfmpeg.Stdout, 0, samples, 0, viaFfmpeg.Stdout.Length);
        Assert.Equal(32000, direct.Length);
        Assert.Equal(samples, direct);
    }

    [Fact]
    public void A_time_window_of_a_compressed_file_goes_through_ffmpeg()
    {
        var part = AudioDecoder.Decode(media.At("sine.flac"), new TimeWindow(0.5, 1.25));
        Assert.Equal(12000, part.Length);
    }

    [Theory]
    [InlineData("sine.flac")]  // 44.1 kHz stereo
    [InlineData("sine.ogg")]   // 48 kHz Vorbis
    [InlineData("clip.mp4")]   // AAC inside mp4
    public void Other_formats_decode_to_16kHz_mono_sine(string name)
    {
        var samples = AudioDecoder.Decode(media.At(name));
        Assert.InRange(samples.Length, 31_500, 32_800); // 2 s (AAC adds priming samples)
        // lavfi's sine has amplitude 1/8: RMS 0.125 / sqrt(2).
        var middle = samples.AsSpan(4000, 16000);
        var rms = Math.Sqrt(middle.ToArray().Average(s => (double)s * s));
        Assert.Equal(0.125 / Math.Sqrt(2), rms, 2);
        // 440 Hz: about 2 * 440 zero crossings per second.
        var crossings = 0;
        for (var i = 1; i < middle.Length; i++) if (middle[i - 1] < 0 != middle[i] < 0) crossings++;
        Assert.InRange(crossings, 870, 890);
    }

    [Fact]
    public void A_time_window_decodes_that_part_only()
    {
        var whole = AudioDecoder.Decode(media.At("sine.wav"));
        var part = AudioDecoder.Decode(media.At("sine.wav"), new TimeWindow(0.5, 1.25));
        Assert.Equal(12000, part.Length);
        Assert.Equal(whole.AsSpan(8000, 12000).ToArray(), part);
    }

    [Fact]
    public void Video_frames_are_resized_cropped_and_ImageNet_normalised()
    {
        var frames = VideoDecoder.Decode(media.At("red.mp4"), new VideoFrameSettings(Frames: 3, Fps: 5, Size: 32), out var count);
        Assert.Equal(3, count);
        Assert.Equal(3 * 3 * 32 * 32, frames.Length);
        var plane = 32 * 32;
        float Expected(int channel, float value) => (value - VideoFrameSettings.ImageNetMean[channel]) / VideoFrameSettings.ImageNetStd[channel];
        Assert.Equal(Expected(0, 1f), frames[plane * 0 + 100], 1);
        Assert.Equal(Expected(1, 0f), frames[plane * 1 + 100], 1);
        Assert.Equal(Expected(2, 0f), frames[plane * 2 + 100], 1);
    }

    [Fact]
    public void Video_frames_follow_the_fps_and_repeat_the_last_frame_past_the_end()
    {
        var all = VideoDecoder.Decode(media.At("clip.mp4"), new VideoFrameSettings(Frames: null, Fps: 4, Size: 48), out var count);
        Assert.Equal(8, count); // 2 s at 4 fps
        var padded = VideoDecoder.Decode(media.At("clip.mp4"), new VideoFrameSettings(Frames: 10, Fps: 4, Size: 48), out var ten);
        Assert.Equal(10, ten);
        var frame = 3 * 48 * 48;
        Assert.Equal(all.AsSpan(7 * frame, frame).ToArray(), padded.AsSpan(9 * frame, frame).ToArray());
        // testsrc moves: consecutive frames differ.
        Assert.NotEqual(all.AsSpan(0, frame).ToArray(), all.AsSpan(frame, frame).ToArray());
    }

    [Theory]
    [InlineData("missing.wav", BadInputReason.Missing, "no such file")]
    [InlineData("empty.wav", BadInputReason.Empty, "empty")]
    [InlineData("truncated.wav", BadInputReason.Truncated, "WAVE header")]
    [InlineData("truncated.flac", BadInputReason.Truncated, "truncated")]
    [InlineData("truncated.ogg", BadInputReason.Truncated, "ogg")]
    [InlineData("truncated.mp4", BadInputReason.Truncated, "mp4")]
    [InlineData("corrupt.mp4", BadInputReason.Corrupt, "not a media file")]
    [InlineData("red.mp4", BadInputReason.NoStream, "no audio stream")]
    public void Bad_audio_inputs_are_reported_with_their_reason(string name, BadInputReason reason, string words)
    {
        var error = Assert.Throws<InvalidMediaException>(() => AudioDecoder.Decode(media.At(name)));
        Assert.Equal(reason, error.Reason);
        Assert.Contains(media.At(name), error.Message);
        Assert.Contains(words, error.Message);
    }

    [Fact]
    public void Audio_only_files_have_no_video_stream()
    {
        var error = Assert.Throws<InvalidMediaException>(() => VideoDecoder.Decode(media.At("sine.ogg"), new VideoFrameSettings(), out _));
        Assert.Equal(BadInputReason.NoStream, error.Reason);
        Assert.Contains("no video stream (it has: audio vorbis)", error.Message);
    }

    [Fact]
    public void A_hung_tool_is_stopped_at_its_time_limit()
    {
        // ffmpeg reading an endless generator in real time (-re) never finishes by itself.
        var result = MediaTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "sine", "-f", "null", "-"],
            timeout: TimeSpan.FromMilliseconds(500));
        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void A_missing_tool_is_a_setup_error_naming_the_fix()
    {
        var error = Assert.Throws<MediaToolMissingException>(() => MediaTool.Run("ffmpeg-that-does-not-exist", ["-version"]));
        Assert.Contains("apt-get install ffmpeg", error.Message);
    }
}
