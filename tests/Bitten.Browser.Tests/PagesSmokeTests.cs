namespace Bitten.Browser.Tests;

public sealed class PagesSmokeTests
{
    [Fact]
    public async Task TheLandingPageOpensInChromium()
    {
        await using var system = await BittenSystem.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(system.Web + "/");
        await page.WaitForSelectorAsync("header .brand");
        await Chromium.ShotAsync(page, "landing");

        Assert.Equal("BITTEN · Home", await page.TitleAsync());
    }
}
