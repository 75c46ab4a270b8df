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
}
