using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bitten.Web.Auth;

namespace Bitten.Web.Tests;

/// <summary><see cref="InitData.Verify"/>: Telegram's published check, every way it can refuse, and its edges.</summary>
public sealed class InitDataTests
{
    public const string BotToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";
    private const long Now = 1_760_000_000;
    private const long TelegramId = 279058397;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void GenuineFreshInitDataNamesItsTelegramUser()
    {
        var result = InitData.Verify(Signed(Fields(Now - 5)), BotToken, Now, Day);

        Assert.Equal(new InitDataResult(TelegramId, null), result);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void InitDataSignedByPythonsHmacModuleIsAccepted()
    {
        // An independent implementation of Telegram's algorithm (python3's hmac and urllib), not our own code.
        const string script = """
            import hashlib, hmac, json, sys, urllib.parse
            bot, now = sys.argv[1], sys.argv[2]
            user = json.dumps({"id": 279058397, "first_name": "Vlad", "username": "vlad & co", "language_code": "en"}, separators=(",", ":"))
            fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": user, "auth_date": now}
            check = "\n".join(k + "=" + fields[k] for k in sorted(fields))
            secret = hmac.new(b"WebAppData", bot.encode(), hashlib.sha256).digest()
            fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
            print(urllib.parse.urlencode(fields))
            """;
        var initData = Python(script, BotToken, (Now - 60).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains("vlad+%26+co", initData, StringComparison.Ordinal);
        Assert.Equal(new InitDataResult(TelegramId, null), InitData.Verify(initData, BotToken, Now, Day));
        Assert.Equal(InitDataRefusal.BadHash, InitData.Verify(initData, BotToken + "x", Now, Day).Refusal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoInitDataIsMissing(string? initData) =>
        Assert.Equal(InitDataRefusal.Missing, InitData.Verify(initData, BotToken, Now, Day).Refusal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void WithoutABotTokenEvenGenuineInitDataIsRefused(string? botToken) =>
        Assert.Equal(InitDataRefusal.NoBotToken, InitData.Verify(Signed(Fields(Now)), botToken, Now, Day).Refusal);

    [Theory]
    [InlineData("auth_date=1&user=%7B%22id%22%3A1%7D")]
    [InlineData("hash=abc&auth_date=1")]
    [InlineData("hash=zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000&hash=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000&auth_date")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000&=1")]
    [InlineData("not a query string")]
    public void InitDataThatIsNotTelegramsShapeIsMalformed(string initData) =>
        Assert.Equal(InitDataRefusal.Malformed, InitData.Verify(initData, BotToken, Now, Day).Refusal);

    [Theory]
    [InlineData("auth_date", null)]
    [InlineData("auth_date", "yesterday")]
    [InlineData("auth_date", "-5")]
    [InlineData("user", null)]
    [InlineData("user", "not json")]
    [InlineData("user", "[279058397]")]
    [InlineData("user", "{\"first_name\":\"Vlad\"}")]
    [InlineData("user", "{\"id\":\"279058397\"}")]
    [InlineData("user", "{\"id\":0}")]
    [InlineData("user", "{\"id\":1.5}")]
    public void GenuinelySignedInitDataWithoutADateOrAUserIdIsMalformed(string key, string? value)
    {
        var fields = Fields(Now);
        if (value is null)
        {
            fields.Remove(key);
        }
        else
        {
            fields[key] = value;
        }

        Assert.Equal(InitDataRefusal.Malformed, InitData.Verify(Signed(fields), BotToken, Now, Day).Refusal);
    }

    [Fact]
    public void AlteredOrForeignInitDataHasABadHash()
    {
        var genuine = Signed(Fields(Now));
        var otherUser = genuine.Replace("279058397", "279058398", StringComparison.Ordinal);
        var fewer = string.Join('&', genuine.Split('&').Where(p => !p.StartsWith("query_id=", StringComparison.Ordinal)));
        var otherBot = Signed(Fields(Now), "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1");
        var zeros = string.Join('&', genuine.Split('&').Select(p => p.StartsWith("hash=", StringComparison.Ordinal) ? "hash=" + new string('0', 64) : p));

        Assert.All(new[] { otherUser, fewer, otherBot, zeros }, initData =>
            Assert.Equal(InitDataRefusal.BadHash, InitData.Verify(initData, BotToken, Now, Day).Refusal));
    }

    [Fact]
    public void EveryFieldButTheHashIsSignedIncludingOnesWeDoNotRead()
    {
        var fields = Fields(Now);
        fields["signature"] = "ed25519-signature-for-third-parties";
        fields["chat_instance"] = "-1";
        var initData = Signed(fields);

        Assert.True(InitData.Verify(initData, BotToken, Now, Day).IsValid);
        Assert.Equal(InitDataRefusal.BadHash,
            InitData.Verify(initData.Replace("chat_instance=-1", "chat_instance=-2", StringComparison.Ordinal), BotToken, Now, Day).Refusal);
    }

    [Theory]
    [InlineData(86_400, true)]
    [InlineData(86_401, false)]
    [InlineData(0, true)]
    [InlineData(-60, true)]
    [InlineData(-61, false)]
    public void InitDataIsAcceptedFromNowBackToTheMaximumAgeAndAMinuteAhead(long ageSeconds, bool accepted)
    {
        var result = InitData.Verify(Signed(Fields(Now - ageSeconds)), BotToken, Now, Day);

        Assert.Equal(accepted ? null : InitDataRefusal.Expired, result.Refusal);
    }

    [Fact]
    public void TheDataCheckStringIsTheFieldsSortedByKeyAsLines()
    {
        var check = InitData.DataCheckString(new Dictionary<string, string> { ["user"] = "{}", ["auth_date"] = "1", ["query_id"] = "q" });

        Assert.Equal("auth_date=1\nquery_id=q\nuser={}", check);
    }

    public static Dictionary<string, string> Fields(long authDate, long telegramId = TelegramId) => new(StringComparer.Ordinal)
    {
        ["query_id"] = "AAHdF6IQAAAAAN0XohDhrOrc",
        ["user"] = $$"""{"id":{{telegramId}},"first_name":"Vlad","last_name":"","username":"vlad & co","language_code":"en"}""",
        ["auth_date"] = authDate.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The query string Telegram would hand the Mini App: the HMAC chain spelled out here, not InitData's.</summary>
    public static string Signed(Dictionary<string, string> fields, string botToken = BotToken)
    {
        using var webAppData = new HMACSHA256(Encoding.UTF8.GetBytes("WebAppData"));
        var secret = webAppData.ComputeHash(Encoding.UTF8.GetBytes(botToken));
        var check = string.Join("\n", fields.Keys.Order(StringComparer.Ordinal).Select(k => k + "=" + fields[k]));
        using var signer = new HMACSHA256(secret);
        var hash = Convert.ToHexStringLower(signer.ComputeHash(Encoding.UTF8.GetBytes(check)));
        return string.Join('&', fields.Append(new("hash", hash)).Select(f => WebUtility.UrlEncode(f.Key) + "=" + WebUtility.UrlEncode(f.Value)));
    }

    private static string Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        Assert.True(python.WaitForExit(TimeSpan.FromSeconds(30)), "python3 did not finish");
        Assert.True(python.ExitCode == 0, error.Result);
        return output.Result.Trim();
    }
}
