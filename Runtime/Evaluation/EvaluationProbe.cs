namespace AvDsl.Runtime.Evaluation;

/// <summary>How a pre-trained encoder is judged on a labelled task.</summary>
public enum EvaluationProbe
{
    /// <summary>A softmax linear classifier on frozen clip embeddings (the encoder does not change).</summary>
    Linear,

    /// <summary>The encoder and a linear head trained together with cross-entropy (the encoder changes).</summary>
    FineTune,
}
