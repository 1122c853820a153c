using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

public class VideoLayoutTests
{
    [Fact]
    public void Video_is_decoded_frames_first_and_prepared_channels_first()
    {
        const int frames = 3, size = 2, plane = size * size;
        var features = new FramesFeature(Count: frames, Fps: 1.0, Size: size).For("video");
        // Raw [T, 3, S, S] with each value naming its own (t, c, pixel).
        var raw = new float[frames * 3 * plane];
        for (var t = 0; t < frames; t++)
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < plane; p++)
                    raw[(t * 3 + c) * plane + p] = 100 * t + 10 * c + p;

        var prepared = features.Prepare(new FeatureArray(raw, [frames, 3, size, size]));

        Assert.Equal([3, frames, size, size], features.SampleShape);
        for (var c = 0; c < 3; c++)
            for (var t = 0; t < frames; t++)
                for (var p = 0; p < plane; p++)
                    Assert.Equal(100 * t + 10 * c + p, prepared[(c * frames + t) * plane + p]);
    }
}
