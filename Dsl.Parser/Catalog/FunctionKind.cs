namespace AvDsl.Dsl.Catalog;

/// <summary>The kinds of the language's functions that are not components, each marked by its own Runtime attribute.</summary>
public enum FunctionKind
{
    /// <summary><c>[Schedule]</c>: a value that moves during training, <c>linear(from: 0.6, to: 0.8)</c>.</summary>
    Schedule,

    /// <summary><c>[Feature]</c>: what an input holds, <c>fbank(mel: 128, frames: 1024)</c>.</summary>
    Feature,

    /// <summary><c>[Optimizer]</c>: <c>train { optimizer: adamw(…) }</c>.</summary>
    Optimizer,

    /// <summary><c>[DataSource]</c>: <c>data { train: manifest(…) }</c>.</summary>
    DataSource,

    /// <summary><c>[Protocol]</c>: an evaluation's recipe, <c>eval { finetune: finetune(…) }</c>.</summary>
    Protocol,
}
