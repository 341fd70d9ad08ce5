using QRCoder;

namespace Ledger.Node.Verification;

/// <summary>QR codes of verification links, as SVG or PNG, by QRCoder. Level M: a printed code survives a smudge.</summary>
public static class QrImages
{
    public static string Svg(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    public static byte[] Png(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }
}
