using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Domain.Primitives;
using Bitten.Gateway.Market;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bitten.Browser.Tests;

/// <summary>
/// What a trader and an admin do, in a real browser against the whole system: sign in with a one-time link, open a
/// mission's HUD and watch its countdown, FIRE and see the simulated EA fill it, press HARD stop in the Throne and see
/// the position close and FIRE disabled with the reason, switch a pattern off and see the analysis say so.
/// </summary>
public sealed partial class TraderJourneyTests
{
    private static readonly TimeSpan Patience = BittenSystem.Patience;

    [Fact]
    public async Task ALoginLinkSignsTheBrowserInOnceAndOnlyOnce()
    {
        await using var system = await BittenSystem.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = system.DemoLoginLink;

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(link);
        await page.WaitForURLAsync(system.Web + "/");
        await Expect(page.Locator("header .who"), "COMMANDER");
        await Chromium.ShotAsync(page, "login-landing");

        var again = await chromium.NewPageAsync();
        var refused = await again.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.Unauthorized, refused!.Status);
        using var body = JsonDocument.Parse(await refused.TextAsync());
        Assert.Equal("login_link_used", body.RootElement.GetProperty("error").GetString());
        await again.GotoAsync(system.Web + "/tracking");
        await again.WaitForSelectorAsync("#signin");
    }

    [Fact]
    public async Task ATraderFiresFromTheHudAndAHardStopClosesItAndDisablesFire()
    {
        await using var system = await BittenSystem.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        using var api = system.Api();

        // MANUAL, so the mission waits for the button instead of auto-fire taking it.
        (await api.PutAsJsonAsync("/api/fire-mode", new { mode = "MANUAL" })).EnsureSuccessStatusCode();
        var prices = await system.LivePricesAsync("EURUSD", "XAUUSD");
        using (var status = JsonDocument.Parse(await api.GetStringAsync(new Uri("/status", UriKind.Relative))))
        {
            // The pages print prices at the digits /status gives: the catalogue's, as the engine rounds them.
            var digits = status.RootElement.GetProperty("symbols").EnumerateArray()
                .ToDictionary(q => q.GetProperty("symbol").GetString()!, q => q.GetProperty("digits").GetInt32());
            Assert.Equal((SymbolCatalogue.Default.Get("EURUSD").Digits, SymbolCatalogue.Default.Get("XAUUSD").Digits), (digits["EURUSD"], digits["XAUUSD"]));
        }

        var fired = await BittenSystem.InjectAsync(api, "BROWSER_FIRE", "EURUSD", prices["EURUSD"], 0.0030);
        var spare = await BittenSystem.InjectAsync(api, "BROWSER_SPARE", "XAUUSD", prices["XAUUSD"], 5.0);
        var firedMission = await MissionOfAsync(api, fired);
        var spareMission = await MissionOfAsync(api, spare);

        var hud = await chromium.NewPageAsync(phone: true);
        await hud.GotoAsync(system.DemoLoginLink);
        await hud.GotoAsync($"{system.Web}/hud/{firedMission}");
        var countdown = hud.Locator("#countdown");
        await Expect(countdown, ":");
        var first = await countdown.TextContentAsync();
        await hud.WaitForFunctionAsync("t => document.querySelector('#countdown').textContent !== t", first);
        await Expect(hud.Locator("#slots"), "/");
        Assert.True(await hud.Locator("#fire").IsEnabledAsync());
        await Chromium.ShotAsync(hud, "hud-briefing");

        await hud.Locator("#fire").ClickAsync();
        await Expect(hud.Locator("#result"), "Filled");
        await Chromium.ShotAsync(hud, "hud-filled");

        var throne = await hud.Context.NewPageAsync();
        await throne.SetViewportSizeAsync(1280, 1000);
        await throne.GotoAsync(system.Throne + "/");
        await Expect(throne.Locator("#stop-state"), "NONE");
        await throne.Locator("[data-stop=HARD]").ClickAsync();
        await Expect(throne.Locator("#stop-state"), "HARD");
        await Chromium.ShotAsync(throne, "throne-hard-stop");

        await Expect(hud.Locator("#result"), "Closed");
        await Chromium.ShotAsync(hud, "hud-closed");

        var pages = await hud.Context.NewPageAsync();
        await pages.SetViewportSizeAsync(1280, 1000);
        await pages.GotoAsync(system.Web + "/performance");
        await Expect(pages.Locator("#trades tbody"), "EURUSD");
        await Chromium.ShotAsync(pages, "performance");
        await pages.GotoAsync(system.Web + "/tracking?symbol=EURUSD");
        await Expect(pages.Locator($"#signals tr[data-signal={fired}]"), "ORDER_BLOCK_BOUNCE");
        await Expect(pages.Locator("#chart-note"), new Regex("EURUSD M5, [1-9][0-9]* bars"));
        await Chromium.ShotAsync(pages, "tracking");
        await pages.GotoAsync(system.Web + "/");
        await Expect(pages.Locator("#symbols"), "XAUUSD");
        await Chromium.ShotAsync(pages, "landing-signed-in");

        await hud.GotoAsync($"{system.Web}/hud/{spareMission}");
        await Expect(hud.Locator("#reason"), new Regex("emergency stop", RegexOptions.IgnoreCase));
        Assert.False(await hud.Locator("#fire").IsEnabledAsync());
        await Chromium.ShotAsync(hud, "hud-fire-disabled");

        var row = throne.Locator("#patterns tr[data-pattern=BB_SCALP]");
        await row.Locator("button").ClickAsync();
        await Expect(row, "off (admin)");
        var analysis = await hud.Context.NewPageAsync();
        await analysis.SetViewportSizeAsync(1280, 1000);
        await analysis.GotoAsync(system.Web + "/analysis");
        await Expect(analysis.Locator("#patterns tr[data-pattern=BB_SCALP] .state"), "off (admin)");
        await Chromium.ShotAsync(analysis, "analysis-pattern-off");
    }

    private static Task Expect(ILocator locator, string text) =>
        Assertions.Expect(locator).ToContainTextAsync(text, new LocatorAssertionsToContainTextOptions { Timeout = (float)Patience.TotalMilliseconds });

    private static Task Expect(ILocator locator, Regex text) =>
        Assertions.Expect(locator).ToContainTextAsync(text, new LocatorAssertionsToContainTextOptions { Timeout = (float)Patience.TotalMilliseconds });

    private static async Task<string> MissionOfAsync(HttpClient api, string signalId)
    {
        using var missions = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/missions", UriKind.Relative)));
        return missions.RootElement.EnumerateArray().First(m => m.GetProperty("signal_id").GetString() == signalId).GetProperty("mission_id").GetString()!;
    }
}
