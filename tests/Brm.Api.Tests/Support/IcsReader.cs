using System.Diagnostics;
using System.Text.Json;

namespace Brm.Api.Tests.Support;

/// <summary>
/// An iCalendar object read by a second, independent reader: ics_check.py, run by the system Python with Debian's
/// python3-icalendar (not Ical.Net, which wrote it). It checks the content lines (CRLF, at most 75 octets, BEGIN/END
/// pairs) and the required properties, then gives the calendar as JSON: <c>properties</c>, and <c>components</c> each
/// with its properties (a date or time as <c>{ value, date }</c>, a property with parameters as <c>{ value, params }</c>).
/// </summary>
public static class IcsReader
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Support", "ics_check.py");

    public static async Task<JsonElement> ReadAsync(byte[] ics)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        await process.StandardInput.BaseStream.WriteAsync(ics);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0,
            $"the iCalendar object does not read (is python3-icalendar installed? apt-get install python3-icalendar): {error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    /// <summary>The components of a read calendar that are VEVENTs, by UID.</summary>
    public static IReadOnlyDictionary<string, JsonElement> EventsByUid(this JsonElement calendar) =>
        calendar.GetProperty("components").EnumerateArray()
            .Where(c => c.GetProperty("component").GetString() == "VEVENT")
            .ToDictionary(c => c.GetProperty("UID").GetString()!);

    /// <summary>A property's text (of a plain value, or the value of one with parameters).</summary>
    public static string Text(this JsonElement component, string property) =>
        component.GetProperty(property) is { ValueKind: JsonValueKind.Object } p ? p.GetProperty("value").GetString()! : component.GetProperty(property).GetString()!;

    /// <summary>The attendees of a component: each one's address (mailto:...) and common name.</summary>
    public static IReadOnlyList<(string Address, string Name)> Attendees(this JsonElement component) =>
        component.TryGetProperty("ATTENDEE", out var attendees)
            ? [.. attendees.EnumerateArray().Select(a => (a.GetProperty("value").GetString()!, a.GetProperty("params").GetProperty("CN").GetString()!))]
            : [];
}
