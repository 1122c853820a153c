namespace AvDsl.Runtime.Nn;

/// <summary>Where a Transformer block normalises: before each sub-layer (ViT/MAE) or after the residual add (BERT, data2vec/EAT).</summary>
public enum Norm
{
    Pre,
    Post,
}
