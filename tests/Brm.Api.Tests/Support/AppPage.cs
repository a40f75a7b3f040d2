using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Brm.Api.Tests.Support;

/// <summary>The app's screens as a person uses them, with the waits a single-page app needs (it renders after each call).</summary>
internal sealed class AppPage(Browser browser, string origin)
{
    private readonly WebDriverWait _wait = new(browser.Driver, TimeSpan.FromSeconds(30));

    public void Open(string path) => browser.Open($"{origin}/{path}");

    public IWebElement WaitFor(By by) => _wait.Until(driver => driver.FindElements(by).FirstOrDefault(e => e.Displayed));

    public void WaitForHeading(string text) =>
        _wait.Until(driver => driver.FindElements(By.TagName("h1")).Any(h => h.Text.StartsWith(text, StringComparison.Ordinal)));

    public void WaitForText(string css, string text) =>
        _wait.Until(driver => driver.FindElements(By.CssSelector(css)).Any(e => e.Text.Contains(text, StringComparison.Ordinal)));

    public void SignIn(string name, string role)
    {
        WaitForHeading("Sign in");
        WaitFor(By.Id("name")).SendKeys(name);
        WaitFor(By.XPath($"//label[contains(normalize-space(),'{role}:')]/input")).Click();
        WaitFor(By.XPath("//button[normalize-space()='Sign in']")).Click();
        _wait.Until(driver => driver.FindElements(By.CssSelector("header .me")).Any(e => e.Text.Contains(name, StringComparison.Ordinal)));
    }

    public void SignOut()
    {
        WaitFor(By.XPath("//button[normalize-space()='Sign out']")).Click();
        WaitForHeading("Sign in");
    }

    /// <summary>axe-core finds no serious or critical violation on the screen as it is now.</summary>
    public void Accessible() => Assert.Empty(browser.SeriousAccessibilityViolations());
}
