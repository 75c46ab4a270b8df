using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten keys generate</c> (the old <c>bitten curve-keygen</c> still works): a CURVE key pair for the EA ports.</summary>
public sealed class KeysGenerateCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var (publicKey, secretKey) = Bitten.Zmq.ZmqCurve.GenerateKeyPair();
        Console.WriteLine($"public {publicKey}");
        Console.WriteLine($"secret {secretKey}");
        Console.Error.WriteLine("Give EAs the public key (their ServerPublicKey input). Keep the secret out of the repository: "
            + "BITTEN_Zmq__CurveSecretKey=<secret> in the server's environment.");
        return 0;
    }
}
