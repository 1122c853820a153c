namespace AvDsl.Runtime.Data;

/// <summary>Why an input was skipped; written to the run's bad-input log.</summary>
public enum BadInputReason
{
    /// <summary>The file does not exist.</summary>
    Missing,
    /// <summary>The file has zero bytes.</summary>
    Empty,
    /// <summary>The file ends before its container says it should (ffmpeg decodes nothing or reports truncation).</summary>
    Truncated,
    /// <summary>The file is not a media file ffmpeg can read.</summary>
    Corrupt,
    /// <summary>The file has no stream of the kind the features need (e.g. no audio).</summary>
    NoStream,
    /// <summary>Decoding produced too little signal for one feature frame.</summary>
    TooShort,
    /// <summary>The decoder ran longer than its time limit.</summary>
    TimedOut,
}
