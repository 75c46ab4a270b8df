namespace Bitten.Telegram.Commands;

/// <summary>A message someone wrote to the bot (placeholder until the command handlers land).</summary>
public sealed record IncomingMessage(long TelegramId, long ChatId, bool IsPrivateChat, string? Text, string? Username);

public sealed record IncomingCallback(long TelegramId, long ChatId, string? Data);

public sealed record CallbackAnswer(string Toast, IReadOnlyList<BotMessage> Messages);
