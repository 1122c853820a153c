namespace AvDsl.Runtime.IO.TensorBoard;

/// <summary>How a training session ended, as TensorBoard's HParams plugin records it (<c>tensorboard.hparams.Status</c>).</summary>
public enum HParamsSessionStatus
{
    Unknown = 0,
    Success = 1,
    Failure = 2,
    Running = 3,
}
