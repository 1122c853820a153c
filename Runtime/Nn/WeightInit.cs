namespace AvDsl.Runtime.Nn;

/// <summary>How a <see cref="Linear"/> layer starts: the schemes the papers we reproduce use.</summary>
public enum WeightInit
{
    /// <summary>Xavier-uniform weight, zero bias: MAE's and timm's ViT re-initialisation.</summary>
    Xavier,

    /// <summary>N(0, 0.02) weight, zero bias: fairseq's <c>init_bert_params</c> (data2vec 2.0, EAT).</summary>
    Bert,

    /// <summary>PyTorch's own default: kaiming-uniform (a = √5) weight, bias U(±1/√fan_in).</summary>
    Torch,
}
