using System.Net;
using System.Text.RegularExpressions;

namespace Bitten.Telegram;

/// <summary>Telegram HTML as plain text: for toasts and the terminal.</summary>
public static partial class BotHtml
{
    /// <summary>Drops the tags and unescapes the entities.</summary>
    public static string ToPlainText(string? html) => string.IsNullOrEmpty(html) ? "" : WebUtility.HtmlDecode(Tag().Replace(html, ""));

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();
}
