namespace Bitten.Host;

/// <summary>A start that cannot go on (a port taken, the store unreachable), said as a sentence with what to change (exit 1).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
