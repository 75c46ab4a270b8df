namespace Bitten.Telegram.Commands;

/// <summary>A message someone sent the bot, from any transport (Telegram, the terminal). <see cref="Text"/> is null for a message without text.</summary>
public sealed record IncomingMessage(long TelegramId, long ChatId, bool IsPrivateChat, string? Text, string? Username = null);

/// <summary>A press of one of the bot's inline buttons: <see cref="Data"/> is its callback data.</summary>
public sealed record IncomingCallback(long TelegramId, long ChatId, string? Data);

/// <summary>The toast shown on the button press, and any messages sent with it.</summary>
public sealed record CallbackAnswer(string Toast, IReadOnlyList<BotMessage> Messages);
