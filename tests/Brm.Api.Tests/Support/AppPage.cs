using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Brm.Api.Tests.Support;

/// <summary>The app's screens as a person uses them, with the waits a single-page app needs (it renders after each call).</summary>
internal sealed class AppPage(Browser browser, string origin)
{
    private readonly WebDriverWait _wait = Wait(browser.Driver);

    /// <summary>
    /// A wait that reads the page again until the condition holds: an element it found may be replaced before it is read
    /// (the app renders again after each call, and the sign-in at an issuer navigates away and back), which is not a
    /// failure but a page still changing, so a stale element makes it look again.
    /// </summary>
    public static WebDriverWait Wait(IWebDriver driver)
    {
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait;
    }

    public T Until<T>(Func<IWebDriver, T> condition) => _wait.Until(condition);

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
