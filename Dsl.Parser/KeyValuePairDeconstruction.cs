namespace AvDsl.Dsl;

internal static class KeyValuePairDeconstruction
{
    // netstandard2.0's KeyValuePair has no Deconstruct.
    public static void Deconstruct<TKey, TValue>(this System.Collections.Generic.KeyValuePair<TKey, TValue> pair, out TKey key, out TValue value)
    {
        key = pair.Key;
        value = pair.Value;
    }
}
