namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Aten.Add.Call(a, b);
    public static Tensor operator +(Tensor a, double b) => Aten.AddScalar.Call(a, b);
    public static Tensor operator +(double a, Tensor b) => Aten.AddScalar.Call(b, a);

    public static Tensor operator -(Tensor a, Tensor b) => Aten.Sub.Call(a, b);
    public static Tensor operator -(Tensor a, double b) => Aten.SubScalar.Call(a, b);
    public static Tensor operator -(double a, Tensor b) => Aten.RsubScalar.Call(b, a);

    public static Tensor operator *(Tensor a, Tensor b) => Aten.Mul.Call(a, b);
    public static Tensor operator *(Tensor a, double b) => Aten.MulScalar.Call(a, b);
    public static Tensor operator *(double a, Tensor b) => Aten.MulScalar.Call(b, a);

    public static Tensor operator /(Tensor a, Tensor b) => Aten.Div.Call(a, b);
    public static Tensor operator /(Tensor a, double b) => Aten.DivScalar.Call(a, b);

    public static Tensor operator /(double a, Tensor b)
    {
        using var reciprocal = Aten.Reciprocal.Call(b);
        return Aten.MulScalar.Call(reciprocal, a);
    }

    public static Tensor operator -(Tensor a) => Aten.Neg.Call(a);
}
