namespace Bitten.Telegram.Outbox;

/// <summary>What the outbox's sender needs of Telegram: send one message, get its message_id.</summary>
public interface IBotApi
{
    /// <exception cref="BotApiException">Telegram refused it, or could not be reached.</exception>
    Task<long> SendAsync(BotMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A send that did not work: <see cref="ErrorCode"/> is Telegram's error_code (429, 400, 403, 5xx…), null when no
/// answer came (network, timeout, an unreadable reply); <see cref="RetryAfterSeconds"/> is a 429's retry_after.
/// </summary>
public sealed class BotApiException : Exception
{
    public BotApiException(int? errorCode, string description, int? retryAfterSeconds = null, Exception? inner = null)
        : base(description, inner)
    {
        ErrorCode = errorCode;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public BotApiException()
        : this(null, "the Bot API call failed")
    {
    }

    public BotApiException(string message)
        : this(null, message)
    {
    }

    public BotApiException(string message, Exception innerException)
        : this(null, message, null, innerException)
    {
    }

    public int? ErrorCode { get; }

    public int? RetryAfterSeconds { get; }

    /// <summary>"403 Forbidden: bot was blocked by the user", or the failure alone when Telegram gave no code.</summary>
    public string Reason => ErrorCode is { } code ? $"{code} {Message}" : Message;
}
