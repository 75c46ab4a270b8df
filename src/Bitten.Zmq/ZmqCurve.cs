using System.Text;

namespace Bitten.Zmq;

public static class ZmqCurve
{
    /// <summary>A fresh CURVE key pair, each key as 40 Z85 characters.</summary>
    public static unsafe (string PublicKey, string SecretKey) GenerateKeyPair()
    {
        // libzmq writes 40 Z85 characters plus a NUL terminator into each buffer.
        var publicKey = stackalloc byte[41];
        var secretKey = stackalloc byte[41];
        if (LibZmq.zmq_curve_keypair(publicKey, secretKey) != 0)
        {
            throw ZmqException.FromLastError("zmq_curve_keypair");
        }

        return (Encoding.ASCII.GetString(publicKey, 40), Encoding.ASCII.GetString(secretKey, 40));
    }

    /// <summary>The public key that belongs to a Z85 secret key (so a server needs to be configured with its secret only).</summary>
    public static unsafe string PublicKeyOf(string secretKeyZ85)
    {
        if (secretKeyZ85 is not { Length: 40 } || !Ascii.IsValid(secretKeyZ85))
        {
            throw new ArgumentException("a CURVE secret key is 40 Z85 characters", nameof(secretKeyZ85));
        }

        var publicKey = stackalloc byte[41];
        var secretKey = stackalloc byte[41];
        Encoding.ASCII.GetBytes(secretKeyZ85, new Span<byte>(secretKey, 40));
        secretKey[40] = 0;
        if (LibZmq.zmq_curve_public(publicKey, secretKey) != 0)
        {
            throw ZmqException.FromLastError("zmq_curve_public");
        }

        return Encoding.ASCII.GetString(publicKey, 40);
    }
}
