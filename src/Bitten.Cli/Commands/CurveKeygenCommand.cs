using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten curve-keygen</c>: a CURVE key pair for the EA ports.</summary>
public sealed class CurveKeygenCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var (publicKey, secretKey) = Bitten.Zmq.ZmqCurve.GenerateKeyPair();
        Console.WriteLine($"public {publicKey}");
        Console.WriteLine($"secret {secretKey}");
        Console.Error.WriteLine("Give EAs the public key. Keep the secret out of the repository: BITTEN_Zmq__CurveSecretKey=<secret>.");
        return 0;
    }
}
